"""Start-up of a process that loads nbformat (the CLI, a batch worker).

jsonschema (under nbformat, under papermill and nbconvert) imports the optional `rfc3987_syntax` when it
is installed (jupyter-events pulls it in), and that module compiles a Lark grammar at import, which
costs more than a whole page (benchmarks/report_speed.py). fazhi validates no IRI formats, so these
processes decline the optional import before anything loads jsonschema; jsonschema then skips that one
format checker. Analysts' kernels and other importers of the package are left alone.
"""

import sys

DECLINED_OPTIONAL_MODULES = ("rfc3987_syntax",)


def decline_slow_optional_imports() -> None:
    for name in DECLINED_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)
