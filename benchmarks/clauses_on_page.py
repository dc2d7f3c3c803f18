"""Do a report's figures reach its page inside their own clause? Real-style report texts that no test reads
(benchmarks/corpus/, with its answer key) go the way a new town's report goes: `fazhi extract` → `fazhi
extract --merge --new-body` → `fazhi report`. Then the leadership page is read: a stated result counts when
the clause the key gives for it stands on the page verbatim, inside the mandated part the key puts it in,
with the figure marked out in it.

    .venv/bin/python benchmarks/clauses_on_page.py          # target: at least 95 % of stated results
    .venv/bin/python benchmarks/clauses_on_page.py --keep DIR   # and keep each page there, to read

Everything is written into a temporary copy of data/; the shipped data is never touched.
"""

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "benchmarks" / "corpus"
PART_ORDER = ("measures", "first_responsible", "shortcomings", "next_year", "other")
TARGET_PCT = 95.0
KEEP = Path(sys.argv[sys.argv.index("--keep") + 1]) if "--keep" in sys.argv else None  # copy each page there


def _fazhi(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fazhi_analysis.cli.main", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=600)


def _parts(html: str) -> dict[str, tuple[str, list[str]]]:
    """Each mandated part's text on the page (figure marks dissolved) and the figures marked in it."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup
    out, key, buffer = {}, None, []
    for element in main.find_all(["h2", "blockquote", "table", "p"]):
        if element.name == "h2":
            if key:
                out[key] = buffer
            index = len(out) if key else 0
            key = PART_ORDER[index] if index < len(PART_ORDER) else None
            buffer = []
        elif key and not element.find_parent("blockquote") and not element.find_parent("nav"):
            buffer.append(element)
    if key:
        out[key] = buffer
    return {k: ("".join(e.get_text("") for e in els), [s.get_text("") for e in els for s in e.select("strong.figure")])
            for k, els in out.items()}


def _states(marked: str, value: float) -> bool:
    """Does a marked span state this value (4,851件, 二十一份, 2.7万方, 未发生 for 0)?"""
    from fazhi_analysis.intake.figures import find_figures

    return any(f.value is not None and abs(f.value - value) < 1e-6 for f in find_figures(marked)) or \
        (value == 0 and not re.search(r"\d", marked))


def run() -> int:
    keys = yaml.safe_load((CORPUS / "keys.yaml").read_text(encoding="utf-8"))
    found = total = 0
    misses: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(REPO / "data", data)
        for name, key in keys.items():
            text, draft = CORPUS / name, Path(tmp) / f"{Path(name).stem}.csv"
            place = ("--unit", key["body"], "--year", str(key["year"]), "--district", key["district"],
                     "--province", key["province"])
            done = _fazhi("extract", str(text), *place, "-o", str(draft), "--data-dir", str(data))
            merged = _fazhi("extract", str(draft), "--merge", "--new-body", "--data-dir", str(data))
            page_run = _fazhi("report", "--year", str(key["year"]), "--unit", key["district"] + key["body"],
                              "--data-dir", str(data), "--output-root", str(Path(tmp) / "out"))
            results = [f for f in key["figures"] if f[4] == "result" and f[0] is not None]
            total += len(results)
            if done.returncode or merged.returncode or page_run.returncode:
                misses.append(f"{name}: a step failed: {(done.stderr + merged.stderr + page_run.stderr)[-300:]}")
                continue
            page = next(p for p in (Path(tmp) / "out").rglob("*.html")
                        if key["body"] in p.name and str(key["year"]) in p.name and not p.stem.endswith("-analyst"))
            parts = _parts(page.read_text(encoding="utf-8"))
            for value, measure, _qualifier, label, _kind, part, clause in results:
                text_of_part, marked = parts.get(part, ("", []))
                shown = clause in text_of_part and any(m in clause and _states(m, value) for m in marked)
                found += shown
                if not shown:
                    where = "not in its part" if clause not in text_of_part else "figure not marked"
                    misses.append(f"{name}: {label} {value}{measure} ({where}): {clause[:40]}")
            if KEEP:
                KEEP.mkdir(parents=True, exist_ok=True)
                shutil.copy(page, KEEP / page.name)
            page.unlink()
    pct = 100.0 * found / max(1, total)
    print(f"{len(keys)} held-out report texts, {total} stated results; in their own clause, in the right part, "
          f"marked: {found} ({pct:.1f} %; target ≥ {TARGET_PCT:.0f} %); {time.perf_counter() - started:.0f} s")
    for miss in misses:
        print("  miss:", miss)
    return 0 if pct >= TARGET_PCT else 1


if __name__ == "__main__":
    sys.exit(run())
