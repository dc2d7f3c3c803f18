"""The data files: layout, reading, validation, the rules their cells follow, bodies and merges."""
