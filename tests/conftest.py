"""Shared test helpers. A real component (kernel, browser, pdftotext) may be missing locally — the
test then skips with the reason — but on CI (CI=true) a missing component fails the run."""

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PUBLIC_REPORTS = REPO / "data" / "public_reports.yaml"  # the 20 public reports' figures, with their URLs
ON_CI = os.environ.get("CI", "").lower() == "true"


def require(available: bool, reason: str) -> None:
    """Skip locally, fail on CI, when a real component the test needs is missing."""
    if available:
        return
    if ON_CI:
        pytest.fail(f"required on CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    return target
