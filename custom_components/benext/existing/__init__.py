"""Meters that are entities of other integrations, in a role of the home."""
