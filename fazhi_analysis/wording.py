"""Every sentence pattern that a page or a draft writes, in one file a domain writer can edit
(`templates/wording_zh.toml`), rendered by one function, `say`.

A pattern is plain text with named fields ({year}, {body}); `say` fills them and returns plain text. It never
returns markup: whatever puts the text into HTML escapes it (narrative templates autoescape, tables escape
their cells), and the Word draft takes it as it is. A missing field is an error, not a blank in a report a
书记 signs. Lists are joined where they are built ("、".join), since punctuation is not a sentence.
"""

import tomllib
from functools import cache

from .paths import TEMPLATES_DIR

WORDING_FILE = TEMPLATES_DIR / "wording_zh.toml"


@cache
def patterns() -> dict[str, str]:
    """The file's patterns by dotted key (page.summary.counts), read once per process."""
    with WORDING_FILE.open("rb") as handle:
        tree = tomllib.load(handle)
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict) -> None:
        for key, value in node.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                walk(name, value)
            else:
                flat[name] = str(value)

    walk("", tree)
    return flat


class _Fields(dict):
    def __missing__(self, key: str):
        raise KeyError(f"wording pattern needs the field {{{key}}}")


def say(key: str, **fields) -> str:
    """The pattern named `key` with its fields filled: say("page.notes.no_previous", body="峡口镇", year=2022)."""
    try:
        pattern = patterns()[key]
    except KeyError:
        raise KeyError(f"no wording pattern {key!r} in {WORDING_FILE.name}") from None
    return pattern.format_map(_Fields(fields))
