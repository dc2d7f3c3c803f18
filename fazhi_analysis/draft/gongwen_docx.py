"""Lay a Draft out as a .docx in 公文 format (GB/T 9704-2012), for an office to finish in Word or WPS.

What the standard fixes and how it is written here:
- A4, margins 37 / 35 / 28 / 26 mm (top / bottom / left / right): a 156 × 225 mm text area.
- 22 lines × 28 characters, by means every program honours alike: each paragraph has an exact line
  spacing of one grid line (225 mm / 22 ≈ 28.95 pt, whatever the font's own line height), and body text
  is condensed by 0.25 pt a character (Word's 字符间距 紧缩 0.25 磅), so that 28 full-width 16 pt
  characters fit the 156 mm line where 27 would otherwise. The section also carries a line grid
  (w:docGrid type lines, 28.95 pt), so Word's 页面设置 shows 每页 22 行 to the clerk who checks it.
  Word templates often use a character grid instead (linesAndChars, w:charSpace -849); Word and WPS
  honour it but LibreOffice (7.4, measured) gives a 16 pt character two 15.79 pt grid cells and sets 14
  characters a line, so the character grid is not used.
- Title 二号 (22 pt) 方正小标宋简体, centred; body 三号 (16 pt) 仿宋_GB2312, justified, first line
  indented two characters; "一、" headings 黑体, "（一）" headings 楷体_GB2312, both 三号 and not bold.
- Page numbers 四号 (14 pt) 宋体 half-width digits as "— 1 —", 7 mm below the text area, odd pages at
  the right and even pages at the left, one character in from the margin (w:evenAndOddHeaders).

Fonts. A .docx names one font per script on a run; there is no fallback list. Word, on a machine without
the named font, substitutes using the font table's description of it (w:altName, w:charset 86 = GB2312,
w:family, w:pitch); WPS reads w:altName too; LibreOffice ignores the table and asks fontconfig for a font
covering the run's language, which is why every run is tagged zh-CN. So the official font is named on
every run (w:eastAsia, with w:hint so “ ” and — are set in it as well) and in the styles and document
defaults, and the font table says which Windows font stands in: 仿宋, 楷体, 宋体. A PC with neither the
official nor the stand-in font shows another Chinese font of the same class; the layout (grid, exact
line spacing) does not move, only the letterforms change. Latin letters and digits are set in Times New
Roman, as most offices' 公文 templates do; in the title and headings they take the heading's own font, so
"2023年" in a 黑体 heading does not switch to a light serif.

The bytes are the same for the same Draft: the document properties carry the closing's date and office
instead of the time of the run, and the zip members carry a fixed timestamp."""

import datetime
import math
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Twips
from docx.text.paragraph import Paragraph as DocxParagraph

from fazhi_analysis.atomic import write_bytes_atomic
from fazhi_analysis.data.csv_input import xml_safe
from fazhi_analysis.draft.comments import Notes
from fazhi_analysis.draft.document import (
    Closing,
    Draft,
    Heading1,
    Heading2,
    Marker,
    Noted,
    Paragraph,
    Placeholder,
    Suggestion,
    run_text,
)
from fazhi_analysis.draft.ooxml import (
    add_font_table_entries,
    deep_copy,
    normalized_zip,
    replace_children,
    w_element,
    w_text,
    width_in_chars,
)

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TITLE_SIZE_PT = 22  # 二号
BODY_SIZE_PT = 16  # 三号
PAGE_NUMBER_SIZE_PT = 14  # 四号
PAGE_NUMBER_GAP_MM = 7  # the page number line starts this far below the text area

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

PLACEHOLDER_HIGHLIGHT = "yellow"
SUGGESTION_HIGHLIGHT = "cyan"  # Word's 青绿色: visibly different from a gap to fill
NOTE_HIGHLIGHT = "lightGray"  # a figure fazhi changed, or a note written into the text: look, then clear

_PT_PER_MM = 72 / 25.4
_TWIPS_PER_PT = 20
TEXT_WIDTH_PT = (PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) * _PT_PER_MM
TEXT_HEIGHT_PT = (PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM) * _PT_PER_MM
# Rounded down, so that 22 lines and 28 characters fit rather than 21 and 27.
LINE_PITCH_TWIPS = math.floor(TEXT_HEIGHT_PT * _TWIPS_PER_PT / LINES_PER_PAGE)  # 579 = 28.95 pt
# Character spacing (w:spacing in rPr, 1/20 pt) that brings 28 body characters within the line: -5 = -0.25 pt.
CHAR_SPACING_TWIPS = math.floor((TEXT_WIDTH_PT / CHARS_PER_LINE - BODY_SIZE_PT) * _TWIPS_PER_PT)
PAGE_NUMBER_LINE_TWIPS = round(PAGE_NUMBER_SIZE_PT * 1.3 * _TWIPS_PER_PT)
FOOTER_DISTANCE_TWIPS = round(
    (MARGIN_BOTTOM_MM - PAGE_NUMBER_GAP_MM) * _PT_PER_MM * _TWIPS_PER_PT - PAGE_NUMBER_LINE_TWIPS)

# What Word and WPS need to substitute a missing font sensibly: its Windows stand-in (altName), its
# character set (86 = GB2312) and class. LibreOffice ignores this table.
_FONT_TABLE = {
    TITLE_FONT: ("宋体", "auto", "variable"),
    BODY_FONT: ("仿宋", "modern", "fixed"),
    HEADING1_FONT: ("SimHei", "modern", "fixed"),
    HEADING2_FONT: ("楷体", "modern", "fixed"),
    PAGE_NUMBER_FONT: ("SimSun", "auto", "variable"),
}
_FIXED_TIMESTAMP = datetime.datetime(2000, 1, 1)


def write_docx(draft: Draft, path: Path, comments: bool = True) -> None:
    """Write the draft to path atomically: a reader never finds half a .docx. `comments=False` puts each
    note in the text as 【注：…】 instead of a Word comment, for offices whose system strips comments."""
    write_bytes_atomic(Path(path), docx_bytes(draft, comments))


def docx_bytes(draft: Draft, comments: bool = True) -> bytes:
    doc = Document()
    notes = Notes(doc, _stamp(draft), comments)
    _set_up_page(doc)
    _set_up_styles(doc)
    _set_up_settings(doc)
    add_font_table_entries(doc, _FONT_TABLE)
    _set_properties(doc, draft)
    _add_page_numbers(doc)
    body = doc.element.body
    for paragraph in list(doc.paragraphs):  # the template's one empty paragraph
        body.remove(paragraph._p)
    _add_title(doc, draft.title_lines)
    for block in draft.blocks:
        _add_block(doc, block, notes)
    if draft.closing is not None:
        _add_closing(doc, draft.closing)
    buffer = BytesIO()
    doc.save(buffer)
    return normalized_zip(buffer.getvalue())


# ---- page, styles, settings -------------------------------------------------------------------------


def _set_up_page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.gutter = 0
    section.header_distance = Mm(15)
    section.footer_distance = Twips(FOOTER_DISTANCE_TWIPS)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.attrib.clear()
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))


def _set_up_styles(doc: DocxDocument) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    r_default = defaults.find(qn("w:rPrDefault"))
    replace_children(r_default, _run_properties(BODY_FONT, BODY_SIZE_PT, language=True))
    p_default = defaults.find(qn("w:pPrDefault"))
    replace_children(p_default, _paragraph_properties(widow_control=False))

    body_ppr = _paragraph_properties(justify="both", first_line_chars=2)
    _restyle(doc, "Normal", body_ppr, _run_properties(BODY_FONT, BODY_SIZE_PT, spacing_twips=CHAR_SPACING_TWIPS))
    title_ppr = _paragraph_properties(justify="center", space_after_twips=LINE_PITCH_TWIPS, first_line_chars=0)
    _restyle(doc, "Title", title_ppr, _run_properties(TITLE_FONT, TITLE_SIZE_PT, latin=TITLE_FONT, spacing_twips=0))
    for name, font, level in (("Heading 1", HEADING1_FONT, 0), ("Heading 2", HEADING2_FONT, 1)):
        ppr = _paragraph_properties(justify="both", first_line_chars=2, keep_next=True, outline_level=level)
        _restyle(doc, name, ppr, _run_properties(font, BODY_SIZE_PT, latin=font, spacing_twips=CHAR_SPACING_TWIPS))
    footer_ppr = _paragraph_properties(line_twips=PAGE_NUMBER_LINE_TWIPS, first_line_chars=0)
    footer_rpr = _run_properties(PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE_PT, latin=PAGE_NUMBER_FONT, spacing_twips=0)
    _restyle(doc, "Footer", footer_ppr, footer_rpr)


def _restyle(doc: DocxDocument, name: str, ppr, rpr) -> None:
    """Replace a built-in style's formatting whole: the template's blue, bold, bordered, theme-font
    headings must not leak through. The style itself stays, so Word's navigation pane and outline see
    the headings; its linked character style gets the same run formatting."""
    style = doc.styles[name].element
    for old in style.findall(qn("w:pPr")) + style.findall(qn("w:rPr")):
        style.remove(old)
    style.append(ppr)
    style.append(rpr)
    link = style.find(qn("w:link"))
    if link is not None:
        linked = doc.styles.element.get_by_id(link.get(qn("w:val")))
        if linked is not None:
            for old in linked.findall(qn("w:rPr")):
                linked.remove(old)
            linked.append(deep_copy(rpr))


def _set_up_settings(doc: DocxDocument) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    settings = doc.settings.element
    preview = settings.find(qn("w:savePreviewPicture"))
    if preview is not None:
        settings.remove(preview)
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:  # the template says ja-JP: Word would pick Japanese theme fonts
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")  # Word 2013+ layout, what current Word writes


def _stamp(draft: Draft) -> datetime.datetime:
    """The draft's one date (its closing's, else a fixed one): properties and comments never read the clock."""
    if draft.closing is not None and draft.closing.date is not None:
        return datetime.datetime.combine(draft.closing.date, datetime.time())
    if draft.year is not None:  # a report is written early in the next year
        return datetime.datetime(draft.year + 1, 1, 1)
    return _FIXED_TIMESTAMP


def _set_properties(doc: DocxDocument, draft: Draft) -> None:
    """Document properties from the draft, never from the clock or the machine's user."""
    props = doc.core_properties
    stamp = _stamp(draft)
    author = xml_safe(draft.closing.office) if draft.closing is not None else ""  # may come from the report's text
    props.title = xml_safe("".join(draft.title_lines))
    props.author = author
    props.last_modified_by = author
    props.comments = ""
    props.created = stamp
    props.modified = stamp
    props.revision = 1
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):  # python-docx's template ships a picture of another page
            del package.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):  # Word 2010's second copy of the template's styles
            del doc.part.rels[rid]


# ---- content ----------------------------------------------------------------------------------------


def _add_title(doc: DocxDocument, lines: list[str]) -> None:
    paragraph = doc.add_paragraph(style="Title")
    for number, line in enumerate(lines):
        run = _add_run(paragraph, line, TITLE_FONT, latin=TITLE_FONT)
        if number < len(lines) - 1:
            run._r.append(OxmlElement("w:br"))


def _add_block(doc: DocxDocument, block, notes: Notes) -> None:
    """A heading or a paragraph, its notes as comments (or 【注：…】 after it when comments are off)."""
    if isinstance(block, Heading1 | Heading2):
        style, font = ("Heading 1", HEADING1_FONT) if isinstance(block, Heading1) else ("Heading 2", HEADING2_FONT)
        run = _add_run(doc.add_paragraph(style=style), block.text, font, latin=font)
        for note in block.notes:
            notes.attach([run], note, lambda t: _add_run(doc.add_paragraph(style="Normal"), t, BODY_FONT,
                                                          highlight=NOTE_HIGHLIGHT))
        return
    if not isinstance(block, Paragraph):
        raise TypeError(f"not a block: {block!r}")
    paragraph = doc.add_paragraph(style="Normal")
    inline = lambda t: _add_run(paragraph, t, BODY_FONT, highlight=NOTE_HIGHLIGHT)  # noqa: E731
    for run in block.runs:
        if isinstance(run, Noted):
            added = _add_run(paragraph, run.text, BODY_FONT, highlight=NOTE_HIGHLIGHT if run.highlight else None)
            notes.attach([added], run.note, inline)
        else:
            highlight = {Placeholder: PLACEHOLDER_HIGHLIGHT, Marker: PLACEHOLDER_HIGHLIGHT,
                         Suggestion: SUGGESTION_HIGHLIGHT}.get(type(run))
            _add_run(paragraph, run_text(run), BODY_FONT, highlight=highlight)
    for note in block.notes:
        notes.attach(paragraph.runs, note, inline)


def _add_closing(doc: DocxDocument, closing: Closing) -> None:
    """落款 without a seal (GB/T 9704-2012 7.3.5.2): one blank line under the text, the office two
    characters in from the right, the date on the next line starting two characters right of the
    office's first character; a date longer than that moves both left until it is two in."""
    office_chars, date_chars = width_in_chars(closing.office), width_in_chars(closing.date_text)
    office_right_chars = max(2.0, 4.0 + date_chars - office_chars)
    date_right_chars = office_right_chars + office_chars - 2.0 - date_chars
    for text, right_chars, before in ((closing.office, office_right_chars, LINE_PITCH_TWIPS),
                                      (closing.date_text, date_right_chars, 0)):
        paragraph = doc.add_paragraph(style="Normal")
        ppr = paragraph._p.get_or_add_pPr()
        # No extra space between digits and Chinese here (on elsewhere, as Word's default): the date's
        # position is counted in characters.
        if before:  # the office's line stays on the page of its date
            ppr.append(w_element("w:keepNext"))
        ppr.append(w_element("w:autoSpaceDE", val="0"))
        ppr.append(w_element("w:autoSpaceDN", val="0"))
        ppr.append(w_element("w:spacing", before=str(before)))
        ppr.append(w_element("w:ind", firstLine="0", firstLineChars="0", right=str(_chars_to_twips(right_chars)),
                            rightChars=str(round(right_chars * 100))))
        ppr.append(w_element("w:jc", val="right"))
        unknown = text == closing.date_text and closing.date is None
        _add_run(paragraph, text, BODY_FONT, highlight=PLACEHOLDER_HIGHLIGHT if unknown else None)


def _add_page_numbers(doc: DocxDocument) -> None:
    """"— 1 —": odd pages right-aligned and even pages left-aligned, one 四号 character in."""
    section = doc.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles["Footer"]
        ppr = paragraph._p.get_or_add_pPr()
        one_char_twips = PAGE_NUMBER_SIZE_PT * _TWIPS_PER_PT
        ppr.append(w_element("w:ind", **{side: str(one_char_twips), f"{side}Chars": "100"}))
        ppr.append(w_element("w:jc", val=side))
        _add_run(paragraph, "— ", PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT)
        _add_page_field(paragraph)
        _add_run(paragraph, " —", PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT)


def _add_page_field(paragraph: DocxParagraph) -> None:
    """A complex PAGE field with "1" as its last result, so a reader that does not update fields
    still shows a number."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _add_run(paragraph, "", PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT)
        if kind is not None:
            run._r.append(w_element("w:fldChar", fldCharType=kind))
        elif text == " PAGE ":
            instr = w_element("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run._r.append(w_text(text))


def _add_run(paragraph: DocxParagraph, text: str, east_asia_font: str, *, latin: str = LATIN_FONT,
             highlight: str | None = None):
    run = paragraph.add_run()
    rpr = run._r.get_or_add_rPr()
    rpr.append(_fonts(east_asia_font, latin))
    if highlight is not None:
        rpr.append(w_element("w:highlight", val=highlight))
    if text:
        run._r.append(w_text(text))
    return run


# ---- small XML helpers ------------------------------------------------------------------------------


def _fonts(east_asia_font: str, latin: str = LATIN_FONT):
    return w_element("w:rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia_font, cs=latin, hint="eastAsia")


def _run_properties(east_asia_font: str, size_pt: float, *, latin: str = LATIN_FONT, language: bool = False,
                    spacing_twips: int | None = None):
    """Children in the order the schema (CT_RPr) requires. Styles based on Normal state their character
    spacing, or they would inherit the body's condensing."""
    rpr = OxmlElement("w:rPr")
    rpr.append(_fonts(east_asia_font, latin))
    if spacing_twips is not None:
        rpr.append(w_element("w:spacing", val=str(spacing_twips)))
    half_points = str(round(size_pt * 2))
    rpr.append(w_element("w:sz", val=half_points))
    rpr.append(w_element("w:szCs", val=half_points))
    if language:
        rpr.append(w_element("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    return rpr


def _paragraph_properties(*, justify: str | None = None, first_line_chars: float | None = None,
                          line_twips: int = LINE_PITCH_TWIPS, space_after_twips: int = 0, keep_next: bool = False,
                          outline_level: int | None = None, widow_control: bool | None = None):
    """Children in the order the schema (CT_PPrBase) requires; Word rejects a file that breaks it."""
    ppr = OxmlElement("w:pPr")
    if keep_next:
        ppr.append(w_element("w:keepNext"))
    if widow_control is not None:
        ppr.append(w_element("w:widowControl", val="1" if widow_control else "0"))
    ppr.append(w_element("w:spacing", before="0", after=str(space_after_twips), line=str(line_twips),
                        lineRule="exact"))
    if first_line_chars is not None:
        ppr.append(w_element("w:ind", firstLine=str(_chars_to_twips(first_line_chars)),
                            firstLineChars=str(round(first_line_chars * 100))))
    if justify is not None:
        ppr.append(w_element("w:jc", val=justify))
    if outline_level is not None:
        ppr.append(w_element("w:outlineLvl", val=str(outline_level)))
    return ppr


def _chars_to_twips(chars: float) -> int:
    """Characters of body text as twips, for programs that ignore w:firstLineChars / w:rightChars."""
    return round(chars * BODY_SIZE_PT * _TWIPS_PER_PT)

