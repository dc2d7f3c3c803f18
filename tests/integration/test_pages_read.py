"""Every leadership page `fazhi batch` builds from the shipped data, read as its reader would
(tests/page_reader.py): no phrase repeated back to back, no Latin word, no 0项, no statistics jargon, no
sum the report did not state, and, on a body's page, every figure of its report."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from page_reader import problems

from fazhi_analysis.data.dataset import load_dataset
from fazhi_analysis.outputs import safe_slug


@pytest.mark.kernel
def test_every_page_of_a_batch_reads_as_a_careful_writer_would(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "fazhi_analysis.cli.main", "batch", "--output-root", str(out),
                           "--workers", "2"], capture_output=True, text=True, cwd=REPO, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    dataset = load_dataset()
    pages = [p for p in sorted(out.rglob("*.html")) if p.name != "index.html" and not p.stem.endswith("-analyst")]
    bodies = {safe_slug(b.district, b.name): b for b in dataset.bodies}
    checked = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        body = bodies.get(page.parent.parent.name)
        exprs = [] if body is None else list(dataset.rows_of(body, int(page.parent.name))["expr"])
        assert problems(html, exprs) == [], page.name
        checked += 1
    assert checked >= len([(b, y) for b in dataset.bodies for y in dataset.years_of(b)])
