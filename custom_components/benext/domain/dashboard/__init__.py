"""The Energy dashboard in one step: which statistics are which source, and what to add."""
