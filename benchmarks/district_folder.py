"""A district's folder of 30 reports, as a 司法局 analyst receives it, through the whole intake: one
`fazhi extract DIR --district` into one review workbook, one `fazhi extract 工作簿 --merge`, then
`fazhi batch` for the district's pages. Run:

    .venv/bin/python benchmarks/district_folder.py            # 3 runs (about 2 minutes)
    .venv/bin/python benchmarks/district_folder.py --runs 1 --no-batch

The 30 reports are the held-out corpus texts (benchmarks/corpus/, written for it; no test reads it), each
used three times under another body's name in one district (云岭区, 四川省), as .docx, LibreOffice .pdf
and portal .html in turn (10 of each, `corpus_formats`). Making the documents is not timed. Every step is
the real CLI in a subprocess against a temporary copy of data/; nothing is written into the repo. Printed:
seconds per step (median of the runs; the machine is shared), and what each step left: figures in the
workbook, observations, sources registered and kept texts, pages written, each against what the answer
key expects.
"""

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from corpus_formats import CORPUS, build, texts

REPO = Path(__file__).resolve().parents[1]
FAZHI = str(Path(sys.executable).parent / "fazhi")
DISTRICT, PROVINCE = "云岭区", "四川省"
REPORTS = 30
# the made-up bodies: the i-th takes the i-th character of each string, so every two names differ in
# both characters and none is one character from another (the typo rule would ask 是否指 …？)
FIRST = "云松柏竹梅兰菊桃杏枫金银铜铁石玉珠宝龙凤鹤鹿马牛羊鱼虾蟹龟蛇"
SECOND = "溪岭坪湾桥川河湖海江山峰林园庄寨坝沟岗塘井泉池洲港口门关台堡"
PLACES = ("青川区", "东原县", "北陵区", "重庆市", "河南省", "四川省")
SUFFIXES = ("街道", "镇", "乡")


def bodies(keys: dict) -> list[tuple[Path, str, str]]:
    """(corpus text, its body, the new body's name) for each of the 30 reports."""
    corpus = texts()
    made = []
    for i in range(REPORTS):
        text = corpus[i % len(corpus)]
        body = keys[text.name]["body"]
        suffix = next(s for s in SUFFIXES if body.endswith(s))
        made.append((text, body, FIRST[i] + SECOND[i] + suffix))
    names = [name for _, _, name in made]
    assert len(set(names)) == REPORTS, names
    return made


def make_folder(root: Path, keys: dict) -> tuple[Path, dict[str, tuple[str, int, dict]]]:
    """The district's folder (10 .docx, 10 .pdf, 10 .html) and, per new body, (name, year, its key)."""
    sources, expected = [], {}
    for i, (text, body, name) in enumerate(bodies(keys)):
        content = text.read_text(encoding="utf-8")
        for place in PLACES:
            content = content.replace(place, "")
        content = content.replace(body, name)  # titles keep their own form; the district comes from --district
        sources.append((content, f"{i:02d}_{name}"))
        expected[name] = (name, keys[text.name]["year"], keys[text.name])
    build(root / "made", sources)
    folder = root / f"{DISTRICT}报告"
    folder.mkdir()
    for i, (_, stem) in enumerate(sources):
        suffix = (".docx", ".pdf", ".html")[i % 3]
        shutil.move(root / "made" / f"{stem}{suffix}", folder / f"{stem}{suffix}")
    shutil.rmtree(root / "made")
    return folder, expected


def run(cmd: list[str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return seconds


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of the three steps (fresh data each)")
    parser.add_argument("--no-batch", action="store_true", help="skip fazhi batch (the slow step)")
    parser.add_argument("--workers", type=int, default=2, help="fazhi batch --workers")
    args = parser.parse_args()
    keys = yaml.safe_load((CORPUS / "keys.yaml").read_text(encoding="utf-8"))
    timings: dict[str, list[float]] = {"extract": [], "merge": [], "batch": []}
    with tempfile.TemporaryDirectory(prefix="fazhi-district-") as tmp:
        root = Path(tmp)
        folder, expected = make_folder(root, keys)
        formats = sorted({p.suffix for p in folder.iterdir()})
        counts = {s: sum(1 for p in folder.iterdir() if p.suffix == s) for s in formats}
        print(f"folder: {len(list(folder.iterdir()))} reports ({', '.join(f'{n} {s}' for s, n in counts.items())}), "
              f"district {DISTRICT}")
        manifest = root / "manifest.csv"
        manifest.write_text("unit,year\n" + "".join(f"{DISTRICT}{name},{year}\n" for name, year, _ in
                                                    expected.values()), encoding="utf-8")
        for n in range(args.runs):
            data, out = root / f"data{n}", root / f"outputs{n}"
            shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("*.lock"))
            workbook = root / f"{DISTRICT}{n}.xlsx"
            timings["extract"].append(run([FAZHI, "extract", str(folder), "--district", DISTRICT, "--province",
                                           PROVINCE, "-o", str(workbook), "--data-dir", str(data)]))
            timings["merge"].append(run([FAZHI, "extract", str(workbook), "--merge", "--data-dir", str(data)]))
            if not args.no_batch:
                timings["batch"].append(run([FAZHI, "batch", "--data-dir", str(data), "--output-root", str(out),
                                             "--manifest", str(manifest), "--workers", str(args.workers)]))
        draft_rows = _workbook_rows(workbook)
        observations = [r for r in rows_of(data / "observations.csv") if r["district"] == DISTRICT]
        registered = [r for r in rows_of(data / "sources.csv")
                      if r["source"].startswith(f"data/raw/{PROVINCE}{DISTRICT}")]
        kept = list((data / "raw").glob(f"{PROVINCE}{DISTRICT}*.txt"))
        key_figures = [f for _, _, key in expected.values() for f in key["figures"]]
        key_results = [f for f in key_figures if f[4] == "result" and f[0] is not None]
        merged = {(r["body"], int(r["year"])) for r in observations}
        print(f"workbook: {len(draft_rows)} figure rows (answer key: {len(key_figures)}); "
              f"kinds {_tally(r['类别'] for r in draft_rows)}")
        print(f"merged: {len(observations)} observations of {DISTRICT} (answer key: {len(key_results)} results "
              f"with a number); {len(merged)} body-years, of which "
              f"{len(merged & {(n, y) for n, y, _ in expected.values()})} named and dated as their titles say; "
              f"{len(registered)} sources registered, {len(kept)} texts kept in data/raw/")
        if not args.no_batch:
            bodies_paged = {p.parent for p in out.glob(f"{DISTRICT}-*/*/*.html")}
            overviews = list(out.glob(f"overview/*/*{DISTRICT}*.html"))
            print(f"batch: body-year pages for {len(bodies_paged)} of {len(expected)} body-years (leadership and "
                  f"analyst page each), {len(overviews)} district overview pages ({DISTRICT}, each year and view)")
    for step, seconds in timings.items():
        if seconds:
            print(f"{step:8} median {statistics.median(seconds):6.1f} s over {len(seconds)} run(s): "
                  + ", ".join(f"{s:.1f}" for s in seconds))
    return 0


def _workbook_rows(path: Path) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True)["审核"]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(c) for c in rows[0]]
    return [{h: "" if v is None else str(v) for h, v in zip(header, row, strict=False)} for row in rows[1:]]


def _tally(values) -> str:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


if __name__ == "__main__":
    sys.exit(main())
