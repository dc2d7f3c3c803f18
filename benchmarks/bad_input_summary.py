"""Count what the bad-input corpus and the hostile payloads do to the real CLI.

    .venv/bin/python benchmarks/bad_input_summary.py [--no-report]

Every case of tests/bad_inputs/cases.yaml goes through `fazhi validate` and `fazhi report` in fresh
processes; every hostile workbook, Word file, stdin and path of tests/bad_inputs/intake.py through its
command (import, extract, check, template, batch, report); hostile payloads go through
`fazhi report --unit` and through the data (body, district, expr, source). Printed: inputs tried,
accepted with normalisation, rejected cleanly, outcomes that differ from the manifest, tracebacks,
canaries created, files written outside the output root, the median seconds of a `fazhi validate` run
(a median, as the machine is shared), and the slowest runs of the hostile intake inputs (issue 15's
targets: the sparse-dimension bomb within 60 s, 25 MB on stdin within 30 s).
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "bad_inputs"))
import corpus  # noqa: E402
import intake  # noqa: E402

CANARY = Path(f"/tmp/fzpw{os.getpid()}")
PYTHON_PAYLOAD = f"'); import os; os.system(\"touch {CANARY}\") #"
# NUL cannot be passed in argv at all; it is covered in the data (binary file) and in tests of params
UNIT_PAYLOADS = [PYTHON_PAYLOAD, "<img src=x onerror=alert(1)>", "{{7*7}}", "../../etc", "a/b", "a\nb"]
DATA_BODIES = [("<script>alert(1)</script>区", PYTHON_PAYLOAD), ("a/b", "../../etc"), ("{{7*7}}区", "<b>\"'镇")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-report", action="store_true", help="only `fazhi validate` (fast)")
    args = parser.parse_args()
    counts = dict.fromkeys(["tried", "accepted", "rejected", "unexpected", "tracebacks", "canaries",
                            "outside"], 0)
    validate_s: list[float] = []
    intake_s: list[tuple[float, str]] = []  # (seconds, case): the refusals issue 15 timed (a bomb within 60 s)
    CANARY.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="fazhi-bad-") as tmp:
        root = Path(tmp)
        for case in corpus.cases():
            work = root / case["id"]
            work.mkdir()
            data_dir = corpus.materialise(case, work)
            started = time.perf_counter()
            runs = [corpus.fazhi("validate", str(data_dir))]
            validate_s.append(time.perf_counter() - started)
            out = work / "outputs"
            if not args.no_report:
                runs.append(corpus.fazhi("report", "--data-dir", str(data_dir), "--output-root", str(out)))
            _count(counts, case["expect"], runs, case.get("rule"))
            shutil.rmtree(data_dir)  # the 100 MB case
        for case in intake.CASES:
            work = root / "intake" / case.id
            work.mkdir(parents=True)
            data_dir = intake.data_dir(work)
            cli_args, stdin = case.build(work, data_dir)
            started = time.perf_counter()
            run = corpus.fazhi(*cli_args, stdin=stdin)
            intake_s.append((time.perf_counter() - started, case.id))
            _count(counts, "accepted" if case.code == 0 else "rejected", [run], case.rule)
            shutil.rmtree(work)  # the 1 GB-of-spaces .docx
        hostile = _hostile_data(root / "hostile")
        for unit in UNIT_PAYLOADS:
            runs = [corpus.fazhi("report", "--unit", unit, "--output-root", str(root / "hostile" / "out"))]
            _count(counts, "rejected", runs, None)
        if not args.no_report:
            for _, body in DATA_BODIES:
                runs = [corpus.fazhi("report", "--data-dir", str(hostile), "--unit", body,
                                     "--output-root", str(root / "hostile" / "outputs"))]
                _count(counts, "accepted", runs, None)
        counts["outside"] = sum(1 for p in root.rglob("*") if p.is_file() and not _allowed(p, root))
    counts["canaries"] = int(CANARY.exists())
    print(f"inputs tried:                 {counts['tried']}")
    print(f"accepted with normalisation:  {counts['accepted']}")
    print(f"rejected cleanly (exit 2):    {counts['rejected']}")
    print(f"outcome differs from manifest: {counts['unexpected']}")
    print(f"tracebacks:                   {counts['tracebacks']}")
    print(f"canaries created:             {counts['canaries']}")
    print(f"files written outside outputs: {counts['outside']}")
    print(f"fazhi validate, median of {len(validate_s)} runs: {statistics.median(validate_s):.2f} s")
    slowest = ", ".join(f"{case} {seconds:.1f} s" for seconds, case in sorted(intake_s, reverse=True)[:4])
    print(f"hostile intake inputs, the slowest runs: {slowest}")
    return 1 if counts["unexpected"] or counts["tracebacks"] or counts["canaries"] or counts["outside"] else 0


def _count(counts: dict, expect: str, runs: list, rule: str | None) -> None:
    counts["tried"] += 1
    counts["tracebacks"] += sum(r.traceback for r in runs)
    if expect == "accepted" and all(r.returncode == 0 for r in runs):
        counts["accepted"] += 1
    elif expect == "rejected" and all(r.returncode == 2 and (rule is None or rule in r.stdout + r.stderr)
                                      for r in runs):
        counts["rejected"] += 1
    else:
        counts["unexpected"] += 1


def _hostile_data(work: Path) -> Path:
    data_dir = work / "data"
    shutil.copytree(corpus.HERE / "base", data_dir)
    lines = (data_dir / "observations.csv").read_text(encoding="utf-8").splitlines()
    extra = []
    for district, body in DATA_BODIES:
        for line in lines[1:]:
            cells = line.split(",")
            cells[1], cells[2], cells[7], cells[8] = district, body, "<img src=x onerror=alert(2)>\n{{7*7}}", body
            extra.append(",".join('"' + c.replace('"', '""') + '"' for c in cells))
    (data_dir / "observations.csv").write_text("\n".join(lines + extra) + "\n", encoding="utf-8")
    return data_dir


def _allowed(path: Path, root: Path) -> bool:
    """Inputs (data/) and anything under an output root; everything else is a write outside outputs."""
    parts = path.relative_to(root).parts
    return "data" in parts or "outputs" in parts


if __name__ == "__main__":
    sys.exit(main())
