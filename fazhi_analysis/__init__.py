"""fazhi: statistics, narrative tables and charts for a town's 法治政府建设年度报告."""

import sys

__version__ = "0.1.0"

# jsonschema (via nbformat, under papermill and nbconvert) imports the optional `rfc3987_syntax`
# when installed (jupyter-events pulls it in), and that module compiles a Lark grammar at import:
# measured 3–5 s on a 2-core machine, more than a whole report. fazhi validates no IRI formats, so the
# optional import is declined here; jsonschema simply skips that one format checker.
sys.modules.setdefault("rfc3987_syntax", None)
