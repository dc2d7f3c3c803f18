"""Hostile inputs for the intake commands (import, extract, check, template, batch), built at run time.

The CSV corpus (cases.yaml) replaces a file of a data directory; these are workbooks, Word files, stdin
and command-line paths, built with zipfile / openpyxl / python-docx in a scratch directory — too big or
too binary to commit. Each case gives the `fazhi` arguments, optional stdin bytes, and the exit code and
rule the real CLI must give. Shared by tests/unit/test_intake_hardening.py,
tests/integration/test_intake_processes.py and benchmarks/bad_input_summary.py.
"""

import hashlib
import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import corpus

SPARSE_ROWS = 60_000


@dataclass(frozen=True)
class IntakeCase:
    id: str
    about: str
    build: Callable[[Path, Path], tuple[list[str], bytes | None]]  # (scratch, data dir) → (args, stdin)
    code: int
    rule: str | None = None  # must appear in the output when code is 2


def data_dir(root: Path) -> Path:
    target = root / "data"
    if not target.exists():
        shutil.copytree(corpus.HERE / "base", target)
    return target


# --- workbooks -------------------------------------------------------------------------------------------

_TEMPLATES: dict[str, bytes] = {}  # the data's digest → its template: made once per process, not once per case


def template(root: Path, data: Path) -> Path:
    """`fazhi template` (2024, 峡口镇) for `data`, as root/t.xlsx."""
    path = root / "t.xlsx"
    if not path.exists():
        key = hashlib.sha256(repr(sorted(corpus.tree(data).items())).encode()).hexdigest()
        if key not in _TEMPLATES:
            run = corpus.fazhi_main("template", "--year", "2024", "--unit", "峡口镇", "--data-dir", str(data),
                                    "-o", str(path))
            assert run.returncode == 0, run.stderr
            _TEMPLATES[key] = path.read_bytes()
        path.write_bytes(_TEMPLATES[key])
    return path


def filled(root: Path, data: Path, edit: Callable, name: str = "filled.xlsx") -> Path:
    """The template with `edit(sheet)` applied, saved with openpyxl (cached values kept as written)."""
    from openpyxl import load_workbook

    wb = load_workbook(template(root, data))
    sheet = wb["填报"]
    sheet["G6"] = 5  # one real figure, so a workbook is never empty for a dull reason
    edit(sheet)
    path = root / name
    wb.save(path)
    return path


def _set(coordinate: str, value) -> Callable:
    def edit(sheet) -> None:
        sheet[coordinate] = value
        if isinstance(value, str):
            sheet[coordinate].data_type = "s"  # as typed text, not a formula
    return edit


def rewrite_part(source: Path, target: Path, part: str, transform: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, transform(data) if info.filename == part else data)
    return target


def corrupt_crc(source: Path, target: Path, part: str) -> Path:
    """Flip one byte inside `part`'s stored data: a bad CRC (stored parts) or a broken deflate stream."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info), compress_type=zipfile.ZIP_STORED)
    raw = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as archive:
        info = archive.getinfo(part)
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + info.compress_size // 2
    raw[offset] ^= 0xFF
    target.write_bytes(bytes(raw))
    return target


def sparse_dimension_bomb(path: Path, rows: int = SPARSE_ROWS) -> Path:
    """Issue 15's reproduction: a small .xlsx whose 填报 sheet declares A1:XFD1048576 and holds `rows`
    sparse rows (one cell each, spread over all 16,384 columns). openpyxl's read-only reader pads every
    row to the declared width: 60,000 × 16,384 cells."""
    from openpyxl.utils import get_column_letter

    sheet = io.StringIO()
    sheet.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<dimension ref="A1:XFD1048576"/><sheetData>')
    for r in range(1, rows + 1):
        column = get_column_letter((r * 7919) % 16384 + 1)
        sheet.write(f'<row r="{r * 17}"><c r="{column}{r * 17}"><v>{r}</v></c></row>')
    sheet.write("</sheetData></worksheet>")
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="填报" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet.getvalue(),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def _formula(coordinate: str, formula: str) -> Callable:
    def edit(sheet) -> None:
        sheet[coordinate] = formula  # openpyxl stores it as a formula without a cached value
    return edit


# --- Word files ------------------------------------------------------------------------------------------

def report_docx(root: Path, name: str = "r.docx", paragraphs: list[str] | None = None) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs or ["重庆市南岸区峡口镇人民政府", "组建人民调解委员会8个，发展人民调解员49名。"]:
        document.add_paragraph(text)
    path = root / name
    document.save(path)
    return path


def spaces_docx(path: Path, gigabytes: float = 1.0) -> Path:
    """Issue 15: a .docx whose document.xml is 1 GB of spaces (a few MB compressed)."""
    chunk = b" " * (1 << 24)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="x">')
            for _ in range(int(gigabytes * 64)):
                part.write(chunk)
            part.write(b"</w:document>")
    return path


# --- the cases ---------------------------------------------------------------------------------------------

def _import(build_xlsx: Callable[[Path, Path], Path]):
    def build(root: Path, data: Path):
        return ["import", str(build_xlsx(root, data)), "--data-dir", str(data)], None
    return build


def _extract_file(build_file: Callable[[Path], Path], *more: str):
    def build(root: Path, data: Path):
        return ["extract", str(build_file(root)), "--unit", "峡口镇", "--year", "2024", "--data-dir", str(data),
                *more], None
    return build


def _extract_stdin(payload: bytes, *more: str):
    def build(root: Path, data: Path):
        return ["extract", "-", "--unit", "峡口镇", "--year", "2024", "--data-dir", str(data), *more], payload
    return build


def _args(*args: str, data_option: bool = True):
    def build(root: Path, data: Path):
        filled_args = [a.replace("{root}", str(root)).replace("{data}", str(data)) for a in args]
        return filled_args + (["--data-dir", str(data)] if data_option else []), None
    return build


def _not_a_notebook(root: Path, data: Path):
    (root / "fake.ipynb").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    return ["batch", "--notebook", str(root / "fake.ipynb"), "--data-dir", str(data)], None


def _existing_draft(root: Path, data: Path):
    (root / "report.txt").write_text("组建人民调解委员会8个。", encoding="utf-8")
    (root / "draft.csv").write_text("hand-edited draft\n", encoding="utf-8")
    return ["extract", str(root / "report.txt"), "--unit", "峡口镇", "--year", "2024", "--data-dir", str(data),
            "-o", str(root / "draft.csv")], None


def _with_doctype(xml: bytes) -> bytes:
    doctype = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + doctype + xml[end:]
    return doctype + xml


SHEET_PART = "xl/worksheets/sheet1.xml"
SEED_GBK = "重庆市南岸区峡口镇人民政府\n组建人民调解委员会8个，发展人民调解员49名。\n".encode("gbk")
BODY_CELL = "F2"
EXPR_CELL = "I6"
VALUE_CELL = "G6"

CASES: list[IntakeCase] = [
    IntakeCase("xlsx_sparse_dimension_bomb", "322 KB .xlsx declaring A1:XFD1048576 with 60,000 sparse rows",
               _import(lambda root, data: sparse_dimension_bomb(root / "bomb.xlsx")), 2, "workbook_rows"),
    IntakeCase("xlsx_bad_crc", "a workbook with one byte of its sheet flipped",
               _import(lambda root, data: corrupt_crc(template(root, data), root / "crc.xlsx",
                                                      "xl/worksheets/sheet1.xml")), 2, "container_part_readable"),
    IntakeCase("xlsx_malformed_sheet_xml", "sheet XML cut in half",
               _import(lambda root, data: rewrite_part(template(root, data), root / "m.xlsx", SHEET_PART,
                                                       lambda b: b[: len(b) // 2])), 2, "container_xml_wellformed"),
    IntakeCase("xlsx_malformed_workbook_xml", "workbook.xml not XML",
               _import(lambda root, data: rewrite_part(template(root, data), root / "w.xlsx", "xl/workbook.xml",
                                                       lambda b: b"<workbook><sheets>")), 2,
               "container_xml_wellformed"),
    IntakeCase("xlsx_doctype_entities", "an entity-expansion DOCTYPE in workbook.xml",
               _import(lambda root, data: rewrite_part(
                   template(root, data), root / "d.xlsx", "xl/workbook.xml",
                   lambda b: _with_doctype(b))), 2,
               "container_xml_doctype"),
    IntakeCase("xlsx_formula_without_cached_value", "=1+1 typed by a program that does not calculate",
               _import(lambda root, data: filled(root, data, _formula(VALUE_CELL, "=1+1"), "f.xlsx")), 2,
               "formula_has_value"),
    IntakeCase("xlsx_formula_text_in_expr", "expr =cmd|' /C calc'!A0 as text",
               _import(lambda root, data: filled(root, data, _set(EXPR_CELL, "=cmd|' /C calc'!A0"), "e.xlsx")), 2,
               "text_not_formula"),
    IntakeCase("xlsx_at_sign_in_expr", "expr @SUM(1) as text",
               _import(lambda root, data: filled(root, data, _set(EXPR_CELL, "@SUM(1)"), "at.xlsx")), 2,
               "text_not_formula"),
    IntakeCase("xlsx_circled_digits", "⑤④ in 本年数值",
               _import(lambda root, data: filled(root, data, _set(VALUE_CELL, "⑤④"), "c.xlsx")), 2, "digits_plain"),
    IntakeCase("xlsx_superscript_digits", "⁵⁴ in 本年数值",
               _import(lambda root, data: filled(root, data, _set(VALUE_CELL, "⁵⁴"), "s.xlsx")), 2, "digits_plain"),
    IntakeCase("xlsx_spaced_digits", "'5 4' in 本年数值",
               _import(lambda root, data: filled(root, data, _set(VALUE_CELL, "5 4"), "sp.xlsx")), 2, "digits_plain"),
    IntakeCase("xlsx_superscript_year", "²⁰²³ as 年度",
               _import(lambda root, data: filled(root, data, _set("H2", "²⁰²⁴"), "y.xlsx")), 2, "year_is_number"),
    IntakeCase("xlsx_kangxi_body", "峡⼝镇 with U+2F1D",
               _import(lambda root, data: filled(root, data, _set(BODY_CELL, "峡\u2f1d镇"), "k.xlsx")), 2,
               "name_no_compatibility_form"),
    *[IntakeCase(f"xlsx_invisible_body_{label}", f"峡口镇 with {label}",
                 _import(lambda root, data, c=char, n=label: filled(root, data, _set(BODY_CELL, f"峡口{c}镇"),
                                                                    f"i{n}.xlsx")), 2, "name_no_invisible")
      for label, char in (("u00ad", "\u00ad"), ("u034f", "\u034f"), ("u2062", "\u2062"), ("ufe0f", "\ufe0f"))],
    IntakeCase("xlsx_hangul_filler_body", "U+3164 alone as 主体",
               _import(lambda root, data: filled(root, data, _set(BODY_CELL, "\u3164"), "h.xlsx")), 2,
               "name_no_invisible"),
    IntakeCase("xlsx_long_body", "a 61-character body name",
               _import(lambda root, data: filled(root, data, _set(BODY_CELL, "峡" * 61), "l.xlsx")), 2, "name_length"),
    IntakeCase("xlsx_bidi_body", "U+202E in 主体, reported at the workbook's row 2",
               _import(lambda root, data: filled(root, data, _set(BODY_CELL, "峡口\u202e镇"), "b.xlsx")), 2,
               "text_no_control_chars"),
    IntakeCase("docx_bad_crc", "a .docx with one byte of document.xml flipped",
               _extract_file(lambda root: corrupt_crc(report_docx(root), root / "crc.docx", "word/document.xml")), 2,
               "container_part_readable"),
    IntakeCase("docx_malformed_xml", "document.xml cut in half",
               _extract_file(lambda root: rewrite_part(report_docx(root), root / "m.docx", "word/document.xml",
                                                       lambda b: b[: len(b) // 2])), 2, "container_xml_wellformed"),
    IntakeCase("docx_1gb_of_spaces", "document.xml of 1 GB of spaces",
               _extract_file(lambda root: spaces_docx(root / "spaces.docx")), 2, "container_part_size"),
    IntakeCase("docx_is_a_workbook", "an .xlsx renamed .docx",
               _extract_file(lambda root: shutil.copyfile(sparse_dimension_bomb(root / "x.xlsx", 10),
                                                          root / "x.docx")), 2, "container_part_missing"),
    IntakeCase("stdin_gbk_detected", "GBK text on stdin (detected, draft correct)", _extract_stdin(SEED_GBK), 0),
    IntakeCase("stdin_gbk_declared_utf8", "GBK text on stdin with --encoding utf-8",
               _extract_stdin(SEED_GBK, "--encoding", "utf-8"), 2, "file_encoding"),
    IntakeCase("stdin_25mb", "25 MB on stdin", _extract_stdin(b"a" * (25 * 1024 * 1024)), 2, "file_size"),
    IntakeCase("stdin_damaged_utf8", "UTF-8 with a broken byte", _extract_stdin("调解成功238件".encode() + b"\xe4\xbb"),
               2, "file_encoding"),
    IntakeCase("extract_overwrites_draft", "extract -o onto a hand-edited draft", _existing_draft, 2,
               "output_not_overwritten"),
    IntakeCase("extract_unit_invisible", "--unit 峡口镇 with U+2062",
               _extract_stdin(SEED_GBK, "--unit", "峡口\u2062镇"), 2, "name_no_invisible"),
    IntakeCase("template_unit_formula", "template --unit =HYPERLINK(…)",
               _args("template", "--year", "2024", "--unit", '=HYPERLINK("http://evil.example","点此")', "--province",
                     "重庆市", "--district", "南岸区", "-o", "{root}/h.xlsx"), 2, "text_not_formula"),
    IntakeCase("batch_notebook_passwd", "batch --notebook /etc/passwd",
               _args("batch", "--notebook", "/etc/passwd"), 2, "notebook_is_ipynb"),
    IntakeCase("batch_notebook_not_json", "batch --notebook x.ipynb that is not JSON", _not_a_notebook, 2,
               "notebook_is_ipynb"),
    IntakeCase("batch_output_root_data", "batch --output-root <data dir>",
               _args("batch", "--output-root", "{data}"), 2, "output_root_outside_data"),
    IntakeCase("batch_output_root_slash", "batch --output-root /", _args("batch", "--output-root", "/"), 2,
               "output_root_not_root"),
    IntakeCase("report_output_root_slash", "report --output-root /", _args("report", "--output-root", "/"), 2,
               "output_root_not_root"),
]
