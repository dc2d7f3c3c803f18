"""The data files: layout, reading, validation and the rules their cells follow."""
