"""Every path the package uses, anchored at the package so notebooks and CLI agree wherever they run."""

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


def data_dir(override: str | Path | None = None) -> Path:
    """The data directory: an explicit override (relative to the current directory) or the shipped one."""
    return Path(override).expanduser().resolve() if override else DATA_DIR
