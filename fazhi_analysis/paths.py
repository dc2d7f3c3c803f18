"""Every path the package uses, anchored at the package so notebooks and CLI agree wherever they run."""

import json
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = PROJECT_DIR / "data"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
OUTPUTS_DIR = PROJECT_DIR / "outputs"
TEMPLATES_DIR = PACKAGE_DIR / "templates"

CATALOGUE_FILE = "catalogue.csv"
OBSERVATIONS_FILE = "observations.csv"
SOURCES_FILE = "sources.csv"
ANNUAL_NOTEBOOK = NOTEBOOKS_DIR / "annual_report.ipynb"
OVERVIEW_NOTEBOOK = NOTEBOOKS_DIR / "overview.ipynb"
# set by a cluster worker for its kernel (batch/cluster.py): a JSON file {data directory: local copy}
SNAPSHOTS_ENV = "FAZHI_DATA_SNAPSHOTS"


def data_dir(override: str | Path | None = None) -> Path:
    """The data directory: an explicit override (relative to the current directory) or the shipped one."""
    if not override:
        return DATA_DIR
    return _snapshot_of(str(override)) or Path(override).expanduser().resolve()


def _snapshot_of(name: str) -> Path | None:
    """On a cluster worker the notebook names the data directory of the machine that planned the batch
    (so its page is byte-identical to a local build); the kernel reads the copy of those bytes the worker
    was shipped, which the file named by FAZHI_DATA_SNAPSHOTS lists. Elsewhere: None."""
    listing = os.environ.get(SNAPSHOTS_ENV)
    if not listing:
        return None
    try:
        local = json.loads(Path(listing).read_text(encoding="utf-8")).get(name)  # as named, never resolved here
    except (OSError, ValueError, AttributeError):
        return None
    return Path(local) if local else None
