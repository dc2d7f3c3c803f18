"""The statistics of one body's year and the checks of what its report states."""
