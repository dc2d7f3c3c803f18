"""From parameters to HTML: jobs, the warm kernel, the papermill engine, the export."""
