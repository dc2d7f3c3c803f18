"""Does extraction time grow linearly with the report? (issue 15: 20,000 paragraphs did not finish in 200 s)

    .venv/bin/python benchmarks/extraction_scaling.py [--max 100000] [--docx]

For n = 1,250 … --max short paragraphs (one figure each, as in the issue's reproduction), prints the
seconds of `extract.extract` (the path `fazhi extract` and `fazhi check` share) and the microseconds
per paragraph, which stay flat when the growth is linear. Then 300 KB of dense text without a sentence
end, and the seed report repeated to about 50 pages (a real report's size), and with --docx the same
50 pages read from a .docx through `read_report` (container checks included).
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from fazhi_analysis.data.dataset import load_catalogue
from fazhi_analysis.intake.extract import Reporter, extract
from fazhi_analysis.intake.reading import read_report

REPO = Path(__file__).resolve().parents[1]

SEED = REPO / "data" / "raw" / "重庆市南岸区峡口镇_2023.txt"
REPORTER = Reporter("重庆市", "南岸区", "峡口镇", 2023)
PAGE_CHARS = 22 * 28  # GB/T 9704: 22 lines × 28 characters


def paragraphs(n: int) -> str:
    return "\n".join(f"第{i % 9 + 1}组开展普法宣传{i % 97 + 1}次。" for i in range(n))


def timed(text: str, catalogue) -> tuple[float, int]:
    started = time.perf_counter()
    rows = extract(text, catalogue, REPORTER, "bench")
    return time.perf_counter() - started, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=100_000, help="largest number of paragraphs")
    parser.add_argument("--docx", action="store_true", help="also time a 50-page .docx through read_report")
    args = parser.parse_args()
    catalogue = load_catalogue()
    print(f"{'paragraphs':>10} {'figures':>8} {'seconds':>8} {'µs/paragraph':>13}")
    n = 1250
    while n <= args.max:
        seconds, figures = timed(paragraphs(n), catalogue)
        print(f"{n:>10} {figures:>8} {seconds:>8.2f} {seconds / n * 1e6:>13.1f}")
        n *= 2
    if args.max >= 100_000 and n // 2 != 100_000:
        seconds, figures = timed(paragraphs(100_000), catalogue)
        print(f"{100_000:>10} {figures:>8} {seconds:>8.2f} {seconds / 100_000 * 1e6:>13.1f}")
    dense = "开展普法宣传12次举办讲座4期" * (300_000 // 30)
    seconds, figures = timed(dense, catalogue)
    print(f"dense text {len(dense.encode()) // 1000} KB, no sentence end: {figures} figures in {seconds:.2f} s")
    seed = SEED.read_text(encoding="utf-8")
    report = "\n".join([seed] * max(1, 50 * PAGE_CHARS // len(seed)))
    seconds, figures = timed(report, catalogue)
    print(f"seed repeated to {len(report) // PAGE_CHARS} pages ({len(report)} characters): "
          f"{figures} figures in {seconds:.2f} s")
    if args.docx:
        import docx

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "report.docx"
            document = docx.Document()
            for line in report.splitlines():
                document.add_paragraph(line)
            document.save(path)
            started = time.perf_counter()
            text, source = read_report(str(path))
            rows = extract(text, catalogue, REPORTER, source)
            print(f"the same as .docx ({path.stat().st_size // 1000} KB) read and extracted: {len(rows)} figures "
                  f"in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
