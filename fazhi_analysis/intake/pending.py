"""What a live preview builds from: data/ as it is, plus the workbooks a clerk is filling in data/ (the
`fazhi template` .xlsx), merged in memory as `fazhi import --replace` would merge them, so the page shows
the figures while they are typed, and data/observations.csv is never written. Excel's own lock files
(~$名称.xlsx) are not workbooks."""

import shutil
from pathlib import Path

from .. import paths
from ..data.dataset import load_catalogue
from ..data.layout import OBSERVATION_COLUMNS
from ..data.merge import Incoming, known_names, plan_merge, write_csv_atomic
from ..errors import display_path
from .excel import read_entries

COPIED = (paths.CATALOGUE_FILE, paths.SOURCES_FILE)


def pending_workbooks(data_dir: Path) -> list[Path]:
    """The filled workbooks lying in data/ itself, in name order."""
    return sorted(p for p in data_dir.glob("*.xlsx") if p.is_file() and not p.name.startswith(("~$", ".")))


def data_with_workbooks(data_dir: Path, scratch: Path) -> tuple[Path, list[Path]]:
    """(the data directory to build from, the workbooks merged into it). Without workbooks that is data/
    itself; with them, `scratch` holds a copy of data/ with every workbook's rows merged (a workbook's value
    wins over the stored one, as with --replace). A workbook with a problem raises DataError naming it."""
    workbooks = pending_workbooks(data_dir)
    if not workbooks:
        return data_dir, []
    catalogue = load_catalogue(data_dir)
    known = known_names(data_dir)
    scratch.mkdir(parents=True, exist_ok=True)
    target = scratch / paths.OBSERVATIONS_FILE
    shutil.copyfile(data_dir / paths.OBSERVATIONS_FILE, target)
    for workbook in workbooks:
        entries = read_entries(workbook, catalogue, known)
        plan = plan_merge([Incoming(e.row, e.record) for e in entries], target, display_path(workbook))
        write_csv_atomic(target, OBSERVATION_COLUMNS, plan.merged)
    for name in COPIED:
        if (data_dir / name).is_file():
            shutil.copyfile(data_dir / name, scratch / name)
    raw = scratch / "raw"
    if (data_dir / "raw").is_dir() and not raw.exists():
        shutil.copytree(data_dir / "raw", raw)
    return scratch, workbooks
