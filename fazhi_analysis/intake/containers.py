"""Office files (.xlsx, .docx) are zip containers of XML parts: check one before any parser sees it.

openpyxl and python-docx trust the container. A 322 KB workbook can declare a sheet of A1:XFD1048576,
a 1 GB part of spaces compresses to a few MB, a bad CRC or a malformed part ends deep inside a parser
as BadZipFile, ExpatError or XMLSyntaxError. `open_checked` does, before parsing:

- the file's own size (MAX_CONTAINER_BYTES) and the number of parts (MAX_PARTS);
- every part's *declared* uncompressed size (MAX_PART_BYTES) and their sum (MAX_TOTAL_BYTES) — zipfile
  never yields more than the declared size of a part, so these bound what any reader can inflate;
- every part read once, streamed, which checks its real size and its CRC;
- every XML part parsed once with expat (streamed, no tree kept), refusing a DOCTYPE: Office XML
  never has one, and without it no entity can be expanded.

Each failure is a DataError naming the file and the part. The checked parts are small, so the second
read by openpyxl / python-docx costs little (a 50-page report's document.xml is about 1 MB).
"""

import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from ..atomic import regular_size
from ..errors import DataError, Problem

MAX_CONTAINER_BYTES = 20 * 1024 * 1024
MAX_PARTS = 2000
MAX_PART_BYTES = 32 * 1024 * 1024  # one XML part, uncompressed; a 300-page report's document.xml is ~6 MB
MAX_TOTAL_BYTES = 128 * 1024 * 1024  # all parts (images included), uncompressed
_CHUNK = 1 << 16


def _refuse(shown: str, part: str | None, rule: str, message: str, value: str | None = None) -> DataError:
    where = f"{shown} 的 {part}" if part else shown
    return DataError(f"{where}: {message}", [Problem(shown, None, part, value, rule, message)])


class _DoctypeFound(Exception):
    pass


def _refuse_doctype(*_args) -> None:
    raise _DoctypeFound


def _check_xml(stream) -> None:
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    while chunk := stream.read(_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def open_checked(path: Path, shown: str, kind: str, required: tuple[str, ...] = ()) -> zipfile.ZipFile:
    """The container, after every check above; `kind` ("Excel 工作簿" / "Word 文档") is for messages.
    `required` parts must exist (xl/workbook.xml, word/document.xml). The caller closes it."""
    size = regular_size(path, shown, kind)  # a FIFO or a device is refused before zipfile opens it
    if size > MAX_CONTAINER_BYTES:
        raise _refuse(shown, None, "file_size", f"文件太大（{size / 2**20:.0f} MB），{kind}应小于 "
                      f"{MAX_CONTAINER_BYTES // 2**20} MB", f"{size} bytes")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(shown, None, "container_readable",
                      f"无法作为 {kind}打开（{type(exc).__name__}: {exc}）；请在 Office / WPS 中打开后另存为") from None
    try:
        _check_parts(archive, shown, kind, required)
    except BaseException:
        archive.close()
        raise
    return archive


def _check_parts(archive: zipfile.ZipFile, shown: str, kind: str, required: tuple[str, ...]) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise _refuse(shown, None, "container_parts", f"{kind}含 {len(infos)} 个部件，超过 {MAX_PARTS} 个",
                      str(len(infos)))
    names = {info.filename for info in infos}
    for part in required:
        if part not in names:
            raise _refuse(shown, part, "container_part_missing", f"缺少部件 {part}，不是完整的{kind}")
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise _refuse(shown, info.filename, "container_part_size",
                          f"部件解压后声明 {info.file_size / 2**20:.0f} MB，超过 {MAX_PART_BYTES // 2**20} MB",
                          f"{info.file_size} bytes")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _refuse(shown, info.filename, "container_total_size",
                          f"各部件解压后合计超过 {MAX_TOTAL_BYTES // 2**20} MB")
    for info in infos:
        if info.is_dir():
            continue
        is_xml = info.filename.endswith((".xml", ".rels"))
        try:
            with archive.open(info) as stream:
                if is_xml:
                    _check_xml(stream)
                else:
                    while stream.read(_CHUNK):
                        pass
        except _DoctypeFound:
            raise _refuse(shown, info.filename, "container_xml_doctype",
                          "XML 部件含 DOCTYPE / 实体声明，Office 文件从不含这些") from None
        except expat.ExpatError as exc:
            why = f"第{exc.lineno}行第{exc.offset}列: {expat.ErrorString(exc.code)}"
            raise _refuse(shown, info.filename, "container_xml_wellformed", f"XML 部件已损坏（{why}）") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError,
                ValueError) as exc:
            # bad CRC, truncated data, encrypted or unsupported compression
            raise _refuse(shown, info.filename, "container_part_readable",
                          f"部件无法解压（{type(exc).__name__}: {exc}）；文件可能已损坏") from None
