"""The rules a body, district or province name follows wherever it enters (validate, import, extract,
template, --unit), so that two bodies never look identical on screen and a name never blocks a batch.

A name is first normalised as the data is (`csv_input.normalise_name`: spaces, zero-width characters
removed, full-width letters and digits folded). Then it is refused when it

- contains an invisible or formatting character: Unicode category Cf (soft hyphen U+00AD, invisible
  times U+2062, …), the Hangul fillers U+3164 / U+115F / U+1160 / U+FFA0, variation selectors
  (U+FE00–U+FE0F, U+E0100–U+E01EF, Mongolian U+180B–U+180D), the combining grapheme joiner U+034F;
- still changes under NFKC: a compatibility form that looks like an ordinary character (峡⼝镇 with the
  Kangxi radical U+2F1D for 口, CJK compatibility ideographs, circled or superscript digits);
- is longer than MAX_NAME_CHARS (the limit `RunParameters.unit` has always had);
- starts with = + - @, which a spreadsheet would run as a formula (see `text_rules`).

When the name differs from a known one only by such characters, the message shows the known name.

A name that is not known but is one or two characters away from a known name of the same district
(云领镇 beside 云岭镇) is a typo until the user says it is a new body (`--new-body`): `typo_of` finds it.
rapidfuzz computes the edit distances (C, MIT licence, maintained); `closest` ranks candidates for a
"did you mean" list.
"""

import unicodedata
from collections.abc import Iterable

from .csv_input import forbidden_character, normalise_name
from .rules import rule_zh
from .text_rules import formula_problem

MAX_NAME_CHARS = 60
MAX_TYPO_EDITS = 2  # one or two characters apart: a typo, not another town
MAX_SUGGESTIONS = 10
# what may name one body where a user types it (--unit, a manifest): the name alone, district + name, or
# province + district + name, each part within MAX_NAME_CHARS, so every body validate accepts can be named
MAX_TYPED_BODY_CHARS = 3 * MAX_NAME_CHARS
_FILLERS = {0x3164, 0x115F, 0x1160, 0xFFA0, 0x034F, 0x180B, 0x180C, 0x180D, 0x180E, 0x180F}


def is_invisible(char: str) -> bool:
    code = ord(char)
    return (unicodedata.category(char) == "Cf" or code in _FILLERS or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF)


def skeleton(name: str) -> str:
    """What a name looks like: NFKC, invisible characters dropped, spaces as the data normalises them."""
    folded = unicodedata.normalize("NFKC", normalise_name(name))
    return normalise_name("".join(c for c in folded if not is_invisible(c)))


def _described(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip()


def name_problem(name: str, known: Iterable[str] = ()) -> tuple[str, str] | None:
    """(rule, Chinese message) for a normalised name that breaks a rule, or None. `known` are names
    already in the data; one that looks the same as `name` is shown in the message."""
    if not name:
        return None  # emptiness is the schema's `not_empty`
    bad = forbidden_character(name)
    if bad:
        return "text_no_control_chars", rule_zh("text_no_control_chars", char=bad)
    invisible = next((c for c in name if is_invisible(c)), None)
    changed = next((c for c in name if unicodedata.normalize("NFKC", c) != c), None)
    if invisible or changed:
        looks = skeleton(name)
        same = next((k for k in known if k != name and skeleton(k) == looks), None)
        hint = f"，与已有名称“{same}”看起来相同，应为同一个名称" if same else f"，应写作“{looks}”"
        if invisible:
            return "name_no_invisible", f"含不可见字符 {_described(invisible)}{hint}"
        return "name_no_compatibility_form", f"含兼容字符“{changed}”（{_described(changed)}）{hint}"
    if len(name) > MAX_NAME_CHARS:
        return "name_length", f"名称有 {len(name)} 个字符，最多 {MAX_NAME_CHARS} 个"
    return formula_problem(name)


def typo_of(name: str, known: Iterable[str]) -> str | None:
    """The known name `name` is most likely a typo of, or None when it is known or close to none: one
    character apart, or two for names of five characters or more (云领镇 → 云岭镇)."""
    from rapidfuzz.distance import Levenshtein

    known = [k for k in known if k]
    if not name or name in known:
        return None
    close = [(Levenshtein.distance(name, k), k) for k in known]
    close = [(d, k) for d, k in close if d <= (MAX_TYPO_EDITS if min(len(k), len(name)) >= 5 else 1)]
    return min(close)[1] if close else None


def closest(name: str, candidates: Iterable[str], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to `limit` candidates, closest to `name` first (edit distance, then similarity, then name)."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    return sorted(set(candidates), key=lambda c: (Levenshtein.distance(name, c), -fuzz.partial_ratio(name, c), c)
                  )[:limit]
