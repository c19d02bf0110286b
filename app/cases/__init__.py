"""A family's process: meetings of one case over time, and the preparation before each."""
