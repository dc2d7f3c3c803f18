"""Where outputs go and what they are called: names safe on every file system yet readable for Chinese
names, and the kinds of file a build writes (render names the jobs, pages link to overview pages)."""

import hashlib
import re
import unicodedata
from pathlib import Path

from .errors import ParameterError

MAX_SLUG_CHARS = 60  # 60 CJK characters are 180 UTF-8 bytes: the file name stays under 255 bytes
HASH_CHARS = 8
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{port}{i}" for port in ("COM", "LPT") for i in range(10))}


def safe_slug(*parts: str) -> str:
    """'南岸区', '峡口镇' → '南岸区-峡口镇'; '../../etc' → 'etc-<hash>'. Letters and digits of any script
    are kept. When anything had to be dropped, a short hash of the original is appended, so two bodies
    whose names differ only in dropped characters (a/b and a\\b) never share, and overwrite, a folder."""
    original = "-".join(parts)
    text = unicodedata.normalize("NFKC", original)
    text = re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE)  # \w keeps CJK; drops / \ . NUL quotes <>
    text = re.sub(r"-{2,}", "-", text).strip("-_")
    if text and text == original and len(text) <= MAX_SLUG_CHARS and text.upper() not in WINDOWS_RESERVED:
        return text
    digest = hashlib.sha256(original.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]
    return f"{text[:MAX_SLUG_CHARS - HASH_CHARS - 1] or 'unnamed'}-{digest}"


def contained(root: Path, *parts: str) -> Path:
    """root/parts…, refusing any result outside root (defence in depth behind safe_slug)."""
    root = root.resolve()
    if any("\x00" in p for p in parts):
        raise ParameterError("输出路径不能含 NUL 字符")
    path = root.joinpath(*parts).resolve()
    if path != root and root not in path.parents:
        raise ParameterError(f"输出路径 {path} 不在输出目录 {root} 之内")
    return path


ANNUAL_KIND = "法治政府建设数据分析"
DRAFT_KIND = "法治政府建设年度报告（草稿）"
OVERVIEW_KIND = "法治政府建设区域概览"
OVERVIEW_DIR = "overview"


def overview_file_name(year: int, scope: tuple[str, ...]) -> str:
    """The overview page of a city (province,) or a district (province, district): one flat folder per
    year, so pages link to each other by file name alone."""
    return f"{safe_slug(*scope)}-{year}-{OVERVIEW_KIND}.html"
