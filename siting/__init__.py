"""siting: find and explain places for gigawatt-scale AI data-center campuses."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("siting")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"
