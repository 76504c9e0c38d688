"""Period reports: a period's bounds, its gaps and its figures per total, as pure Python."""
