"""Reading, schema and model of the data files: catalogue, observations, bodies, merges."""
