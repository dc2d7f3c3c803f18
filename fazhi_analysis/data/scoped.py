"""Datasets read through the store (`store`), holding only the rows a page needs: a body's page its
district (its own rows in every year, and its peers'), a district page its district, a province page its
province up to the page's year. Below the store's threshold every function here loads the whole data
directory, as before, so a district's pages are what they always were."""

import re
from pathlib import Path

from .. import paths
from .bodies import Body, resolve_body
from .dataset import Dataset, load_dataset, load_from_store
from .store import Scope, in_use, open_store


def dataset_for_body(typed: str, data_dir: str | Path | None = None) -> tuple[Dataset, Body]:
    """The dataset a body's page needs, and the body `typed` names (ambiguity is a ParameterError)."""
    directory = paths.data_dir(data_dir)
    if not in_use(directory):
        dataset = load_dataset(directory)
        return dataset, dataset.find_body(typed)
    body = resolve_body(typed, open_store(directory).bodies)
    return load_from_store(directory, Scope(body.province, body.district)), body


def dataset_for_group(group: str, year: int, data_dir: str | Path | None = None) -> Dataset:
    """The dataset an overview page of `group` ("all", a province, a district, or bodies separated by
    commas) needs for `year`: its rows up to that year."""
    directory = paths.data_dir(data_dir)
    if not in_use(directory):
        return load_dataset(directory)
    bodies = open_store(directory).bodies
    text = group.strip()
    if text in ("", "all"):
        scope = Scope()
    elif text in {b.district for b in bodies}:
        scope = Scope(district=text)
    elif text in {b.province for b in bodies}:
        scope = Scope(province=text)
    else:
        names = [n.strip() for n in re.split(r"[,，、]", text) if n.strip()]
        scope = Scope(bodies=tuple(dict.fromkeys(resolve_body(n, bodies) for n in names)))
    return load_from_store(directory, scope, max_year=year)


def check_ready(data_dir: str | Path | None = None) -> None:
    """Raise DataError unless the data is good: past a district's size by bringing the store up to date
    (checked once, streaming), else by loading it as every page will."""
    directory = paths.data_dir(data_dir)
    if in_use(directory):
        open_store(directory)
    else:
        load_dataset(directory)
