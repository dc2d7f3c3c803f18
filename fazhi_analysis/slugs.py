"""Output names that are safe on every file system yet stay readable for Chinese names."""

import re
import unicodedata
from pathlib import Path

from .errors import ParameterError

MAX_SLUG_CHARS = 60


def safe_slug(*parts: str) -> str:
    """'南岸区', '峡口镇' → '南岸区-峡口镇'; '../../etc' → 'etc'. Letters and digits of any script are kept."""
    text = "-".join(unicodedata.normalize("NFKC", p) for p in parts)
    text = re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE)  # \w keeps CJK; drops / \ . NUL quotes <>
    text = re.sub(r"-{2,}", "-", text).strip("-_")
    return text[:MAX_SLUG_CHARS] or "unnamed"


def contained(root: Path, *parts: str) -> Path:
    """root/parts…, refusing any result outside root (defence in depth behind safe_slug)."""
    root = root.resolve()
    path = root.joinpath(*parts).resolve()
    if path != root and root not in path.parents:
        raise ParameterError(f"输出路径 {path} 不在输出目录 {root} 之内")
    return path
