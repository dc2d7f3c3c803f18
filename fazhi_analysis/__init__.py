"""fazhi: statistics, narrative tables and charts for a town's 法治政府建设年度报告."""

__version__ = "0.1.0"
