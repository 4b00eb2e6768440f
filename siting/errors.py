"""Exceptions raised by siting.

Every error a user can cause derives from :class:`SitingError`; the command line catches only
that class and prints its message on one line. Each subclass is also a built-in exception, so
callers may catch ``ValueError`` or ``OSError`` as usual.
"""


class SitingError(Exception):
    """Root of all errors a user can cause: bad spec, bad data, bad output folder."""


class SpecError(SitingError, ValueError):
    """The campus spec is invalid: unknown key, wrong type, out-of-range value."""


class DataError(SitingError, ValueError):
    """An input file is missing a column, has unusable values or is corrupt."""


class CRSError(SitingError, ValueError):
    """An input has no CRS, or CRSs that must match do not."""


class DataFileNotFound(SitingError, FileNotFoundError):
    """An input file named by the bundle or the spec does not exist."""


class OutputError(SitingError, OSError):
    """The output folder cannot be written, or would overwrite an earlier run."""
