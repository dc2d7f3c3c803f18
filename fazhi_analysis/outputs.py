"""Where outputs go and what they are called: names safe on every file system yet readable for Chinese
names, and the kinds of file a build writes (render names the jobs, pages link to overview pages)."""

import hashlib
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .errors import ParameterError

MAX_SLUG_CHARS = 60
MAX_SLUG_BYTES = 180  # 60 CJK characters; with "-2023-法治政府建设数据分析-analyst.html" a name stays under 255 bytes
HASH_CHARS = 8
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{port}{i}" for port in ("COM", "LPT") for i in range(10))}


def safe_slug(*parts: str) -> str:
    """'南岸区', '峡口镇' → '南岸区-峡口镇'; '../../etc' → 'etc-<hash>'. Letters and digits of any script
    are kept. When anything had to be dropped, or a part holds the joining '-' (南岸区-甲 + 乙镇 and
    南岸区 + 甲-乙镇 would both read 南岸区-甲-乙镇), a short hash of the parts is appended, so two bodies
    never share, and overwrite, a folder. Planning still refuses any two that collide (`colliding`)."""
    original = "-".join(parts)
    text = unicodedata.normalize("NFKC", original)
    text = re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE)  # \w keeps CJK; drops / \ . NUL quotes <>
    text = re.sub(r"-{2,}", "-", text).strip("-_")
    ambiguous = len(parts) > 1 and any("-" in part for part in parts)
    if (text and text == original and not ambiguous and len(text) <= MAX_SLUG_CHARS
            and len(text.encode("utf-8", "surrogatepass")) <= MAX_SLUG_BYTES and text.upper() not in WINDOWS_RESERVED):
        return text
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]
    kept = text[:MAX_SLUG_CHARS - HASH_CHARS - 1]
    while len(kept.encode("utf-8", "surrogatepass")) > MAX_SLUG_BYTES - HASH_CHARS - 1:  # 4-byte characters
        kept = kept[:-1]
    return f"{kept.rstrip('-_') or 'unnamed'}-{digest}"


def path_key(path: Path) -> str:
    """What a file system that ignores case and Unicode normalisation (Windows, macOS, a shared drive)
    sees of a path: two outputs with one key would overwrite each other there."""
    return unicodedata.normalize("NFC", str(path)).casefold()


def colliding(named: dict[str, Path]) -> tuple[str, str, Path] | None:
    """(one name, another name, their path) when two differently named things map to one output path."""
    seen: dict[str, str] = {}
    for name, path in named.items():
        key = path_key(path)
        if key in seen and seen[key] != name:
            return seen[key], name, path
        seen.setdefault(key, name)
    return None


def contained(root: Path, *parts: str) -> Path:
    """root/parts…, refusing any result outside root (defence in depth behind safe_slug)."""
    root = _resolved(root)
    if any("\x00" in p for p in parts):
        raise ParameterError("输出路径不能含 NUL 字符")
    path = Path(os.path.realpath(os.path.join(root, *parts)))
    if path != root and root not in path.parents:
        raise ParameterError(f"输出路径 {path} 不在输出目录 {root} 之内")
    return path


@lru_cache(maxsize=64)
def _resolved(root: Path) -> Path:
    """An output root resolved once per process, not once per page path (a country plans ~120,000)."""
    return root.resolve()


ANNUAL_KIND = "法治政府建设数据分析"
DRAFT_KIND = "法治政府建设年度报告（草稿）"
OVERVIEW_KIND = "法治政府建设区域概览"
OVERVIEW_DIR = "overview"


def overview_file_name(year: int, scope: tuple[str, ...]) -> str:
    """The overview page of a city (province,) or a district (province, district): one flat folder per
    year, so pages link to each other by file name alone."""
    return f"{safe_slug(*scope)}-{year}-{OVERVIEW_KIND}.html"
