"""Small OOXML helpers for the 公文 layout engine: elements in the w: namespace, text that keeps its
spaces, and a zip rewritten with fixed timestamps so the same draft gives the same bytes."""

import unicodedata
import zipfile
from copy import deepcopy
from io import BytesIO

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..data.csv_input import xml_safe

ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)


def w_element(tag: str, **attributes: str):
    made = OxmlElement(tag)
    for name, value in attributes.items():
        made.set(qn(f"w:{name}"), value)
    return made


def w_text(content: str):
    made = w_element("w:t")
    made.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    made.text = xml_safe(content)  # U+FFFF in a quoted report would stop the XML writer
    return made


def replace_children(parent, new_child) -> None:
    for old in list(parent):
        parent.remove(old)
    parent.append(new_child)


def deep_copy(node):
    return deepcopy(node)


# python-docx's template says it was made by "Microsoft Macintosh Word", with its page and word counts:
# the draft's extended properties say nothing they do not know.
APP_PROPERTIES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.'
                  b'openxmlformats.org/officeDocument/2006/extended-properties"><Template>Normal.dotm</Template>'
                  b'</Properties>')


def normalized_zip(data: bytes) -> bytes:
    """The same members in the same order with a fixed timestamp: zipfile stamps members with the
    current time, which would make every run's bytes differ. The extended properties are fazhi's own."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            content = APP_PROPERTIES if info.filename == "docProps/app.xml" else source.read(info.filename)
            target.writestr(member, content)
    return out.getvalue()


def add_font_table_entries(doc, entries: dict[str, tuple[str, str, str]]) -> None:
    """Describe fonts in the document's font table — name → (Windows stand-in, family, pitch), character
    set GB2312 — which Word and WPS read to substitute a font the machine lacks."""
    from lxml import etree

    fonts_part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable"))
    root = etree.fromstring(fonts_part.blob)
    for name, (alt_name, family, pitch) in entries.items():
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt_name})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})
        etree.SubElement(font, qn("w:family"), {qn("w:val"): family})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): pitch})
    fonts_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def width_in_chars(text: str) -> float:
    """Full-width characters count one, half-width (digits, Latin) one half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)
