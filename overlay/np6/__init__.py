"""np6: the Python client for the NP6 CM API."""

from ._version import __version__

__all__ = ["__version__"]
