"""How well figures are read from reports as offices publish them. Run:
`.venv/bin/python benchmarks/extraction_accuracy.py` (about half a minute: LibreOffice makes the PDFs).

The held-out corpus (benchmarks/corpus/*.txt, twelve texts written for it in the styles of real reports;
answer key keys.yaml, whose header states the label rule; no test reads it) is written as .docx, .pdf and
.html (`corpus_formats`), each read by `fazhi`'s own reader and extracted. Per format:
- value, measure word and qualifier correct: of the key's figures, those extracted with all three right;
- label correct: of those, the label exactly as the key writes it;
- kind correct: of those, the kind (result / target / change / other);
- clause correct: of those, the statement exactly as the key quotes it (what the page quotes);
- precision: of everything extracted, what the key holds (a figure the key does not list, or one of its
  not-figure strings, counts against it).
Targets (issue 20): ≥ 99 %, ≥ 95 %, ≥ 95 %, ≥ 98 %, the three formats within 1 point of each other.
Also checked: every key clause is a verbatim clause of its normalised text.
`--write-clauses` fills each key figure's clause from the .docx extraction where value, measure, qualifier
and label match (a figure it cannot match is left for a person); check what it wrote by hand.
"""

import argparse
import re
import sys
import tempfile
from pathlib import Path

import yaml
from corpus_formats import CORPUS, build, texts

from fazhi_analysis.data.dataset import load_catalogue
from fazhi_analysis.intake.extract import Reporter, extract
from fazhi_analysis.intake.reading import read_document

TARGETS = {"value": 99.0, "label": 95.0, "kind": 95.0, "precision": 98.0}


def number(value) -> str:
    if value is None or value == "":
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def score(rows: list[dict[str, str]], figures: list[list]) -> dict[str, int]:
    """Match key figures to extracted rows in order by (value, measure, qualifier)."""
    free = list(rows)
    counts = {"key": len(figures), "value": 0, "label": 0, "kind": 0, "clause": 0, "extracted": len(rows),
              "matched": 0}
    misses = []
    for value, measure, qualifier, label, kind, _part, *clause in figures:
        want = (number(value), measure or "", qualifier or "")
        hit = next((r for r in free if (r["value"], r["measure"], r["qualifier"]) == want), None)
        if hit is None:
            misses.append(f"    missed {want} {label}")
            continue
        free.remove(hit)
        counts["value"] += 1
        counts["label"] += hit["label"] == label
        counts["kind"] += hit["kind"] == kind
        counts["clause"] += bool(clause) and hit["statement"] == clause[0]
        if clause and hit["statement"] != clause[0]:
            misses.append(f"    {want}: clause {hit['statement']!r} (key {clause[0]!r})")
        if hit["label"] != label or hit["kind"] != kind:
            misses.append(f"    {want}: label {hit['label']!r} (key {label!r}), kind {hit['kind']} (key {kind})")
    counts["matched"] = counts["value"]
    counts["extra"] = len(free)
    misses += [f"    extra {r['expr']!r} label {r['label']!r}" for r in free]
    counts["misses"] = misses
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--write-clauses", action="store_true", help="fill the key's clauses from the .docx")
    parser.add_argument("--texts", default="", help="only the texts whose names start with these, e.g. 11,12")
    args = parser.parse_args()
    keys = yaml.safe_load((CORPUS / "keys.yaml").read_text(encoding="utf-8"))
    catalogue = load_catalogue()
    totals: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="fazhi-corpus-") as tmp:
        chosen = [t for t in texts() if not args.texts or t.name.startswith(tuple(args.texts.split(",")))]
        scored = {t.name: keys[t.name] for t in chosen}  # the same entries: --write-clauses writes them all
        made = build(Path(tmp), [(t, t.stem) for t in chosen])
        for suffix, files in made.items():
            total = {"key": 0, "value": 0, "label": 0, "kind": 0, "clause": 0, "extracted": 0, "extra": 0}
            for file in files:
                key = scored[file.stem + ".txt"]
                document = read_document(str(file))
                reporter = Reporter(key["province"], key["district"], key["body"], key["year"])
                rows = extract(document.text, catalogue, reporter, file.name)
                counts = score(rows, key["figures"])
                for name in total:
                    total[name] += counts[name]
                if args.verbose and counts["misses"]:
                    print(f"{file.name}:\n" + "\n".join(counts["misses"]))
                if args.write_clauses and suffix == ".docx":
                    fill_clauses(key, rows)
            totals[suffix] = total
    if args.write_clauses:
        path = CORPUS / "keys.yaml"
        header = "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                         if line.startswith("#"))
        path.write_text(header + yaml.safe_dump(keys, allow_unicode=True, sort_keys=False, width=200,
                                                default_flow_style=None), encoding="utf-8")
    print(f"{'format':7} {'figures':>7} {'value+measure+qualifier':>24} {'label':>8} {'kind':>8} {'clause':>8} "
          f"{'precision':>10}")
    shown = {}
    for suffix, t in totals.items():
        value = 100 * t["value"] / t["key"]
        label = 100 * t["label"] / max(1, t["value"])
        kind = 100 * t["kind"] / max(1, t["value"])
        precision = 100 * (t["extracted"] - t["extra"]) / max(1, t["extracted"])
        shown[suffix] = {"value": value, "label": label, "kind": kind, "precision": precision}
        clause = 100 * t["clause"] / max(1, t["value"])
        print(f"{suffix:7} {t['key']:7} {value:23.1f}% {label:7.1f}% {kind:7.1f}% {clause:7.1f}% {precision:9.1f}%")
    print("targets:", ", ".join(f"{k} ≥ {v:g}%" for k, v in TARGETS.items()), "(clause: the statement as the key "
          "quotes it, for the page's quotes; no target)")
    print(f"texts: {len(scored)}; key clauses that are not verbatim in their normalised text: {unquoted(scored)}")
    met = all(s[k] >= v for s in shown.values() for k, v in TARGETS.items())
    spread = max(max(s[k] for s in shown.values()) - min(s[k] for s in shown.values()) for k in TARGETS)
    print(f"targets met: {'yes' if met else 'NO'}; largest difference between formats: {spread:.1f} points "
          f"({'within' if spread <= 1 else 'NOT within'} 1 point)")
    return 0


def unquoted(keys: dict) -> int:
    """Key clauses that are not a verbatim clause of their text as `normalise` gives it (a check on the key)."""
    from fazhi_analysis.intake.normalise import normalise

    missing = 0
    for name, key in keys.items():
        clauses = set(re.split(r"[。；;！!？?\n]", normalise((CORPUS / name).read_text(encoding="utf-8"))))
        missing += sum(1 for figure in key["figures"] if len(figure) < 7 or figure[6].strip() not in clauses)
    return missing


def fill_clauses(key: dict, rows: list[dict[str, str]]) -> None:
    free = list(rows)
    for figure in key["figures"]:
        value, measure, qualifier, label = figure[:4]
        hit = next((r for r in free if (r["value"], r["measure"], r["qualifier"], r["label"]) ==
                    (number(value), measure or "", qualifier or "", label)), None)
        if hit is not None:
            free.remove(hit)
            figure[6:] = [hit["statement"]]


if __name__ == "__main__":
    sys.exit(main())
