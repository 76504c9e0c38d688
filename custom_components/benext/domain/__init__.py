"""The model of a BeNext home: roles, product status and validation (no Home Assistant imports)."""
