"""Readers of external data formats, one module per provider format.

Each reader takes a file in its provider's official schema and returns a frame in ours: the
provider's columns renamed through one column map (``*_COLUMNS``) in the module, units
converted to those named in our column names, missing-value codes turned into NaN (UNKNOWN,
never zero). Readers carry the data's CRS and raise one :class:`~siting.errors.SitingError`
naming the file for anything they cannot use. Nothing here knows about a run, a grid or a
region: :mod:`siting.inputs` decides which file to read with which reader.
"""
