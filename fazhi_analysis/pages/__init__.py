"""What the notebooks show: the annual page, the district overview, narrative, tables, charts.

`KERNEL_WARM_CODE` (`ANNUAL_WARM_CODE` for one annual page) is what a kernel that will build pages runs as
it starts (constant code: nothing from data or parameters is ever part of it); the launcher passes it to
render's WarmKernel.
"""

ANNUAL_WARM_CODE = ("import fazhi_analysis.pages.annual, fazhi_analysis.pages.charts; "
                    "fazhi_analysis.pages.charts.ensure_cjk_font()")
# a batch worker builds overview pages too; `fazhi report` builds one annual page and spares its kernel that
KERNEL_WARM_CODE = ANNUAL_WARM_CODE + "; import fazhi_analysis.pages.overview"
