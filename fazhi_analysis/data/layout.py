"""Column layout of the data files and year bounds: light constants, importable without pandas."""

MIN_YEAR, MAX_YEAR = 2000, 2100
KINDS = ("count", "rate", "amount", "total")

OBSERVATION_COLUMNS = ("province", "district", "body", "year", "indicator", "value", "qualifier", "expr", "source")
CATALOGUE_COLUMNS = (
    "key", "name_zh", "measure", "section", "kind", "numerator", "denominator", "components", "aliases",
)

# set by `fazhi report` for the kernel it launches: a file vouching for data already fully checked
RECEIPT_ENV = "FAZHI_VALIDATION_RECEIPT"
