"""An indicator's definition (口径): what it counts, and which wordings of a figure count as it.

A catalogue indicator is a claim that figures of different towns are the same thing. The claim is checked
on the figure's own wording (its `label`, the report's name for the item), with two lists of words the
catalogue keeps beside each indicator:

- `wording_requires`: alternatives separated by `|`, each a set of words joined by `+` that must all
  appear (中心组+学法|中心组+法治: the wording names the central group AND law);
- `wording_excludes`: words separated by `|`, any one of which rules the figure out (领导班子: the
  leadership team's study is not all staff's).

"理论学习中心组集中学习13次" is not "中心组专题学法": it names the group but not law. Linking at import, at
extraction, in the scripts and `fazhi validate` all ask `Definition.problem`. An indicator without
definition words (a catalogue written before they existed) puts no condition on wording. Light: no pandas.
"""

from dataclasses import dataclass

from .csv_input import fold_width


def _alternatives(cell: str) -> tuple[tuple[str, ...], ...]:
    groups = (tuple(w.strip() for w in part.split("+") if w.strip()) for part in cell.split("|"))
    return tuple(g for g in groups if g)


def _words(cell: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in cell.split("|") if w.strip())


@dataclass(frozen=True)
class Definition:
    counts_zh: str = ""  # what the indicator counts, in a sentence a 司法局 reader accepts
    requires: tuple[tuple[str, ...], ...] = ()  # any one group, every word of it, must appear
    excludes: tuple[str, ...] = ()  # none of these may appear

    @classmethod
    def from_cells(cls, counts_zh: str, requires: str, excludes: str) -> "Definition":
        return cls(counts_zh.strip(), _alternatives(fold_width(requires)), _words(fold_width(excludes)))

    def problem(self, wording: str) -> str | None:
        """Why `wording` (a figure's label) does not meet the definition, in words; None when it does."""
        text = fold_width(wording)
        excluded = [w for w in self.excludes if w in text]
        if excluded:
            return f"含“{excluded[0]}”，口径不同"
        if self.requires and not any(all(w in text for w in group) for group in self.requires):
            return "未写明" + "或".join("“" + "”和“".join(group) + "”" for group in self.requires[:3])
        return None

    def met_by(self, wording: str) -> bool:
        return self.problem(wording) is None
