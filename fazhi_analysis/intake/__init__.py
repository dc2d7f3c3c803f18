"""Figures into data/: numbers in text, extraction from reports, the Excel workbook."""
