"""A report as offices publish it (.txt, .docx, .pdf, a saved web page, .doc / .wps) → its normalised text,
with the title, publication date and address when the document gives them.

Choices (docs/intake.md says more): pdfplumber reads PDF text (MIT, on pdfminer.six): it builds each
line from the characters' positions, so quotation marks a PDF draws in another font stay where they
stand (pypdf moved them: “法律进乡村”活动 came out as 法律进乡村活动“”), and each line's left edge
says where a 公文 paragraph starts. trafilatura
takes a saved portal page's main text without the navigation, footer and related links (Apache-2.0,
maintained, the best-scored main-text extractor in published comparisons, and it reads the title and
date). LibreOffice headless converts .doc / .wps, when installed. Every text then goes through
`normalise` before any figure is read. Each failure is a FazhiError naming the file, never a traceback.
"""

import codecs
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..atomic import read_regular, regular_size, too_large
from ..data.csv_input import ENCODINGS
from ..errors import DataError, ParameterError, Problem, display_path
from .normalise import normalise

MAX_REPORT_BYTES = 20 * 1024 * 1024
MAX_REPORT_CHARS = 2_000_000  # ~3,000 pages; a 50-page report is ~35,000 characters and extracts in ~0.05 s
MAX_PDF_PAGES = 500
SOFFICE_TIMEOUT_S = 120
TEXT_SUFFIXES = (".txt", ".text", "")
REPORT_SUFFIXES = (".txt", ".text", ".docx", ".pdf", ".html", ".htm", ".doc", ".wps")


@dataclass(frozen=True)
class Document:
    """A report's normalised text and what the document says about itself."""

    text: str
    source: str  # the file as shown to the user, or stdin
    title: str = ""  # as written (a web page's own title, or the text's title lines)
    published: str = ""  # 2024-01-25 when the page states it
    url: str = ""  # the page's own address when it states one


def read_report(path: str, encoding: str | None = None) -> tuple[str, str]:
    """(normalised text, source label) of a report: see `read_document`."""
    document = read_document(path, encoding)
    return document.text, document.source


def read_document(path: str, encoding: str | None = None) -> Document:
    """The report at `path` (or '-' for stdin), normalised. Text is decoded with `encoding` when given,
    else detected: UTF-8 (BOM or not), UTF-16 with a BOM, then GB18030 (a superset of GBK); undecodable
    bytes are an error naming the line, never a draft of mojibake. stdin is read up to MAX_REPORT_BYTES."""
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)  # a text stream without one is already decoded
        raw = (stream or sys.stdin).read(MAX_REPORT_BYTES + 1) if sys.stdin is not None else b""
        if len(raw) > MAX_REPORT_BYTES:
            raise DataError("标准输入太大，不像是一份年度报告", [
                Problem("stdin", None, None, None, "file_size", f"报告应小于 {MAX_REPORT_BYTES // 2**20} MB")])
        text = raw if isinstance(raw, str) else decode_report(raw, "stdin", encoding)
        return Document(normalise(_bounded(text, "stdin")), "stdin")
    file = Path(path)
    shown = display_path(file)
    suffix = file.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, *REPORT_SUFFIXES):
        raise ParameterError(f"不支持的文件类型 {shown}", [
            Problem(shown, None, None, suffix, "report_format",
                    "请提供 .txt、.docx、.pdf、.html / .htm、.doc 或 .wps 文件")])
    try:  # a regular file within the bound: a FIFO or a link to /dev/zero is refused, not read
        if suffix in (".docx", ".pdf", ".doc", ".wps"):  # read by their own libraries: checked, then bounded
            size = regular_size(file, shown, "报告")
            if size > MAX_REPORT_BYTES:
                raise too_large(shown, size, MAX_REPORT_BYTES, "报告")
        else:
            raw = read_regular(file, MAX_REPORT_BYTES, shown, "报告")
    except FileNotFoundError:
        raise ParameterError(f"找不到报告文件 {shown}", [
            Problem(shown, None, None, None, "file_exists", "文件不存在")]) from None
    if suffix == ".docx":
        return Document(normalise(_bounded(_docx_text(file, shown), shown)), shown)
    if suffix == ".pdf":
        return Document(normalise(_bounded(_pdf_text(file, shown), shown), pdf=True), shown)
    if suffix in (".doc", ".wps"):
        return Document(normalise(_bounded(_converted_text(file, shown), shown)), shown)
    if suffix in (".html", ".htm"):
        return _html_document(decode_report(raw, shown, encoding), shown)
    return Document(normalise(_bounded(decode_report(raw, shown, encoding), shown)), shown)


def _pdf_text(file: Path, shown: str) -> str:
    """Each page's lines as pdfplumber groups its characters by position, an indented line (a 公文 indents
    the first line of every paragraph) marked by a leading space: `normalise` rejoins lines from them."""
    import logging

    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its repairs of odd files are not the user's concern
    try:
        with pdfplumber.open(str(file)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise DataError(f"{shown} 有 {len(pdf.pages)} 页，不像是一份年度报告", [
                    Problem(shown, None, None, str(len(pdf.pages)), "pdf_pages", f"报告应少于 {MAX_PDF_PAGES} 页")])
            pages = [page.extract_text_lines(layout=False, strip=True, return_chars=True) for page in pdf.pages]
        text = _indented_lines(pages)
    except DataError:
        raise
    except PdfminerException as exc:
        if isinstance(exc.args[0] if exc.args else None, PDFPasswordIncorrect):
            raise DataError(f"{shown} 是加密的 PDF", [Problem(shown, None, None, None, "pdf_readable",
                                                          "PDF 有打开密码；请提供未加密的文件")]) from None
        raise _unreadable_pdf(shown, exc.args[0] if exc.args else exc) from None
    except (PSException, ValueError, KeyError, TypeError, OSError, RecursionError, AssertionError) as exc:
        raise _unreadable_pdf(shown, exc) from None
    if _garbled(text):  # pdfminer misread the font's character map: poppler often reads it right
        text = _poppler_text(file, shown)
    if not text.strip():
        raise DataError(f"{shown} 中没有文字（可能是扫描件）", [
            Problem(shown, None, None, None, "pdf_has_text", "这份 PDF 只有图片，没有可复制的文字；"
                    "请向发文单位索取 Word 或文字版 PDF，或先做文字识别（OCR）")])
    return text


MOST_COMMON_CJK_SHARE = 0.15  # '的' is about 4 % of Chinese text, '法' about 5 % of a 法治 report


def _garbled(text: str) -> bool:
    """A PDF's text whose Chinese is mostly one character: pdfminer read every glyph of a font as one
    (seen in a LibreOffice PDF whose fallback CJK glyphs sit in a LiberationMono subset: 青青青…)."""
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if len(cjk) < 200:
        return False
    return max(map(cjk.count, set(cjk))) > MOST_COMMON_CJK_SHARE * len(cjk)


def _poppler_text(file: Path, shown: str) -> str:
    """The PDF's text through poppler's pdftotext (-layout keeps a paragraph's indent as leading spaces),
    or a DataError saying the text cannot be read, never figures read from garbled text."""
    pdftotext = shutil.which("pdftotext")
    unreadable = DataError(f"{shown} 的文字编码无法识别（提取出的汉字几乎全是同一个字）", [
        Problem(shown, None, None, None, "pdf_readable", "请向发文单位索取 Word 版，或在 Word / WPS 中打开后另存为 "
                ".docx 再提取" + ("" if pdftotext else "；或安装 poppler-utils（pdftotext）后重试"))])
    if pdftotext is None:
        raise unreadable
    try:
        done = subprocess.run([pdftotext, "-layout", "-enc", "UTF-8", str(file), "-"], capture_output=True,
                              timeout=SOFFICE_TIMEOUT_S, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        raise unreadable from None
    text = done.stdout.decode("utf-8", errors="replace").replace("\f", "\n")
    if done.returncode != 0 or _garbled(text):
        raise unreadable
    return text


def _indented_lines(pages: list[list[dict]]) -> str:
    """Every page's text lines, top to bottom; a line that starts a character or more right of the
    document's left margin (not the page's: a last page may hold only an indented signature) starts with
    a space."""
    margin = min((line["x0"] for lines in pages for line in lines), default=0.0)
    return "\n".join((" " if line["x0"] - margin >= 0.8 * line["chars"][0]["size"] else "") + line["text"]
                     for lines in pages for line in lines)


def _unreadable_pdf(shown: str, exc: BaseException) -> DataError:
    return DataError(f"{shown} 不是可读的 PDF 文件", [
        Problem(shown, None, None, None, "pdf_readable", f"无法读取（{type(exc).__name__}: {exc}）；"
                "请在原程序中另存为 PDF 或 .docx")])


def _html_document(page: str, shown: str) -> Document:
    """A saved web page's main text (trafilatura: without navigation, footer, related links), its
    paragraphs one a line, the page's own title on the first line."""
    import trafilatura
    from lxml import etree

    tree = trafilatura.extract(page, output_format="xml", include_comments=False, include_tables=True,
                               with_metadata=True)
    if not tree:
        raise DataError(f"{shown} 中找不到正文", [
            Problem(shown, None, None, None, "html_main_text", "网页中没有可识别的正文；请另存为“网页，仅 HTML”"
                    "后重试，或把正文复制到 .txt 文件")])
    root = etree.fromstring(tree.encode("utf-8"))
    paragraphs = []
    for element in root.iter("p", "head", "item", "cell"):
        if element.getparent() is not None and element.getparent().tag in ("p", "head", "item"):
            continue  # a nested block is read with its parent
        if element.tag == "cell" and not paragraphs:
            continue  # a table before the report's first paragraph is the portal's 索引号 / 文号 / 发布机构 box
        text = "".join(element.itertext()) if element.tag != "p" else _with_breaks(element)
        paragraphs.append(text.strip())
    title = _page_title(root.get("title") or "")
    if title and not any(title in p for p in paragraphs[:3]):
        paragraphs.insert(0, title)
    text = normalise(_bounded("\n".join(p for p in paragraphs if p), shown))
    return Document(text, shown, title, (root.get("date") or "")[:10], root.get("url") or "")


def _with_breaks(element) -> str:
    """A paragraph's text with its <lb/> line breaks (a <br> in the page) as newlines."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else "".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def _page_title(title: str) -> str:
    """A portal's <title> is 'report title_column_site': the report's own title is the first piece."""
    for mark in ("_", "|", " - ", "－"):
        title = title.split(mark)[0]
    return title.strip()


def _converted_text(file: Path, shown: str) -> str:
    """.doc / .wps through LibreOffice headless, to UTF-8 text, in a private profile and folder."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ParameterError(f"读取 {shown} 需要 LibreOffice，本机没有安装", [
            Problem(shown, None, None, file.suffix, "report_format",
                    "请在 Word 或 WPS 中打开后“另存为” .docx 再提取；或安装 LibreOffice（Debian: apt-get install "
                    "libreoffice-writer-nogui）")])
    with tempfile.TemporaryDirectory(prefix="fazhi-soffice-") as work:
        env = {**os.environ, "HOME": work}
        try:
            subprocess.run([soffice, f"-env:UserInstallation={Path(work, 'profile').as_uri()}", "--headless",
                            "--norestore", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", work, str(file)],
                           capture_output=True, env=env, timeout=SOFFICE_TIMEOUT_S, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise DataError(f"LibreOffice 转换 {shown} 超过 {SOFFICE_TIMEOUT_S} 秒", [Problem(
                shown, None, None, None, "report_convertible", "请在 Word 或 WPS 中另存为 .docx 后重试")]) from None
        converted = Path(work) / (file.stem + ".txt")
        if not converted.is_file():
            raise DataError(f"LibreOffice 无法转换 {shown}", [
                Problem(shown, None, None, None, "report_convertible", "文件可能已损坏；请在 Word 或 WPS 中打开后"
                        "另存为 .docx 再提取")])
        return converted.read_bytes().decode("utf-8-sig", errors="replace")


def _bounded(text: str, shown: str) -> str:
    if len(text) > MAX_REPORT_CHARS:
        raise DataError(f"{shown} 有 {len(text)} 个字符，不像是一份年度报告", [
            Problem(shown, None, None, f"{len(text)} 个字符", "report_length",
                    f"报告正文应少于 {MAX_REPORT_CHARS} 个字符")])
    return text


# codecs Python knows that do not decode a text file: 'undefined' always fails, idna and punycode decode
# host names only; rot13, base64 … are bytes-to-bytes or text-to-text (codecs.lookup marks those)
NOT_TEXT_ENCODINGS = frozenset({"undefined", "idna", "punycode"})
COMMON_ENCODINGS_ZH = "常用的有 utf-8、gbk、gb18030"


def check_encoding(encoding: str | None) -> None:
    """An `--encoding` that decodes a text file, or a ParameterError (exit 2) naming the cause."""
    if not encoding:
        return
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        raise ParameterError(f"不认识的编码 --encoding {encoding!r}；{COMMON_ENCODINGS_ZH}") from None
    if info.name in NOT_TEXT_ENCODINGS or not getattr(info, "_is_text_encoding", True):
        raise ParameterError(f"--encoding {encoding!r}（{info.name}）不是文本文件的编码；{COMMON_ENCODINGS_ZH}")


def decode_report(raw: bytes, shown: str, encoding: str | None = None) -> str:
    """Bytes of a text report → str, with an explicit encoding or detected (see `read_report`)."""
    if encoding:
        check_encoding(encoding)
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _undecodable(raw, exc, shown, f"不是 {encoding} 编码") from None
        except (UnicodeError, LookupError, ValueError, TypeError) as exc:  # a codec's own refusal
            raise ParameterError(f"{shown} 无法按 --encoding {encoding!r} 解码（{exc}）；"
                                 f"{COMMON_ENCODINGS_ZH}") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _undecodable(raw, exc, shown, "UTF-16 文本中有损坏的字节") from None
    if raw.startswith(b"PK\x03\x04"):
        raise DataError(f"{shown} 是 Word/Excel 文件，不是文本", [
            Problem(shown, None, None, None, "file_is_text", "Word 报告请以 .docx 文件名提供")])
    if b"\x00" in raw:
        raise DataError(f"{shown} 不是文本文件", [Problem(shown, None, None, None, "file_is_text",
                                                          "应为 UTF-8 或 GBK 编码的文本，或 .docx")])
    try:
        return raw.decode(ENCODINGS[0])
    except UnicodeDecodeError as exc:
        if any(b >= 0x80 for b in raw[:exc.start]):  # valid UTF-8 Chinese before it: damaged, not GBK
            raise _undecodable(raw, exc, shown, "UTF-8 文本中有损坏的字节") from None
    try:
        return raw.decode(ENCODINGS[1])
    except UnicodeDecodeError as exc:
        raise _undecodable(raw, exc, shown, "既不是 UTF-8 也不是 GBK/GB18030 编码") from None


def _undecodable(raw: bytes, exc: UnicodeDecodeError, shown: str, why: str) -> DataError:
    line = raw[:exc.start].count(b"\n") + 1
    return DataError(f"{shown} 第{line}行有无法解码的字节（{why}）", [
        Problem(shown, line, None, raw[exc.start:exc.start + 4].hex(" "), "file_encoding",
                f"{why}；请另存为 UTF-8，或用 --encoding 指明编码（如 --encoding gbk）")])


def _docx_text(file: Path, shown: str) -> str:
    """Paragraphs then table cells, one per line: offsets in a draft refer to this text.

    The container is checked first (`intake.containers`: sizes, CRCs, well-formed XML); anything
    python-docx still raises is caught here and named, never a traceback."""
    import docx  # python-docx; imported here so `fazhi extract x.txt` does not pay for it

    from .containers import open_checked

    open_checked(file, shown, "Word 文档", ("word/document.xml",)).close()
    try:
        document = docx.Document(str(file))
        lines = [p.text for p in document.paragraphs]
        lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    except Exception as exc:  # noqa: BLE001 — python-docx / lxml raise many kinds on a damaged part
        raise DataError(f"{shown} 不是可读的 .docx 文件", [
            Problem(shown, None, "word/document.xml", None, "docx_readable",
                    f"无法打开（{type(exc).__name__}: {exc}）；请在 Word / WPS 中打开后另存为 .docx")]) from None
    return "\n".join(lines)

