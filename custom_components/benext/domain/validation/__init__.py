"""BeNext's validation of an installation: a snapshot of the home in, findings out.

Pure rules (no Home Assistant): `snapshot` holds the input, `validate.validate` runs every
check, `verdict` turns the findings into BeNext's per-category verdict and validation date.
"""
