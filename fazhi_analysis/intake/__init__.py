"""Figures into data/: numbers in text, extraction from reports, the Excel workbook, their containers
bounded and checked."""
