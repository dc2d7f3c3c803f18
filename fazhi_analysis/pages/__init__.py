"""What the notebooks show: the annual page, the district overview, narrative, tables, charts.

`KERNEL_WARM_CODE` (`ANNUAL_WARM_CODE` for one annual page) is what a kernel that will build pages runs as
it starts (constant code: nothing from data or parameters is ever part of it); the launcher passes it to
render's WarmKernel. It ends with `gc.freeze()`: the warm-up's objects (pandas, matplotlib, the page
modules) leave the cyclic collector's sight, so the namespace reset between two pages, a full collection,
scans only the last page's objects (0.3 s → 0.06 s a page on the 2-core machine, measured in a kernel).
"""

_ANNUAL_IMPORTS = ("import fazhi_analysis.pages.annual, fazhi_analysis.pages.charts; "
                   "fazhi_analysis.pages.charts.ensure_cjk_font()")
_FREEZE = "import gc; gc.freeze()"
ANNUAL_WARM_CODE = f"{_ANNUAL_IMPORTS}; {_FREEZE}"
# a batch worker builds overview pages too; `fazhi report` builds one annual page and spares its kernel that
KERNEL_WARM_CODE = f"{_ANNUAL_IMPORTS}; import fazhi_analysis.pages.overview; {_FREEZE}"
