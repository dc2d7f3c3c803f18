"""What the notebooks show: the annual page, the district overview, narrative, tables, charts.

`KERNEL_WARM_CODE` is what a kernel that will build pages runs as it starts (constant code: nothing
from data or parameters is ever part of it); the launcher passes it to render's WarmKernel.
"""

KERNEL_WARM_CODE = ("import fazhi_analysis.pages.annual, fazhi_analysis.pages.overview, fazhi_analysis.pages.charts; "
                    "fazhi_analysis.pages.charts.ensure_cjk_font()")
