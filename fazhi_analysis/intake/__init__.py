"""Reading what people hand to fazhi: reports, workbooks and their containers, bounded and checked."""
