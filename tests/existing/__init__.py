"""Tests of meters that are entities of other integrations."""
