"""Column layout of the data files and year bounds: light constants, importable without pandas.

An observation is one figure as its report stated it: where (the mandated `part` and the report's own
sub-`heading`), what (`label`, the report's wording of the item, and its `measure` word as written),
how much (`value` with 万 applied, `qualifier` not applied, `expr` exactly as written), from which
report (`source`), and the report's own clause that states it (`statement`, verbatim: the span between
the nearest 。；！？ or line break on either side; empty when the report's wording is not held, as for
figures taken from a list of names). A page and a draft quote the statement instead of writing a
sentence of their own. `topic` says what the figure is about (依法决策, 普法 …) when known; `indicator` links
it to the catalogue only when it is the same thing as the catalogue's item (see data/README.md).
"""

MIN_YEAR, MAX_YEAR = 2000, 2100
KINDS = ("count", "rate", "amount", "total")

OBSERVATION_COLUMNS = (
    "province", "district", "body", "year", "part", "heading", "topic", "label", "indicator",
    "value", "measure", "qualifier", "expr", "source", "statement",
)
# Columns a file written before they existed may lack: read as empty, so old data and workbooks still load.
OPTIONAL_COLUMNS = frozenset({"statement", "counts_zh", "wording_requires", "wording_excludes", "kind", "verdict"})
# An indicator's definition (口径, see data/definitions.py): what it counts (`counts_zh`), the words a figure's
# own wording must contain (`wording_requires`: 中心组+学法|中心组+法治) and the words that rule it out
# (`wording_excludes`: 领导班子|党委). kind and verdict are columns of an extraction draft, which older drafts lack.
CATALOGUE_COLUMNS = (
    "key", "name_zh", "measure", "section", "kind", "numerator", "denominator", "base_zh", "components", "aliases",
    "counts_zh", "wording_requires", "wording_excludes",
)
SOURCE_COLUMNS = ("source", "title", "published", "url")

# set by `fazhi report` for the kernel it launches: a file vouching for data already fully checked
RECEIPT_ENV = "FAZHI_VALIDATION_RECEIPT"
