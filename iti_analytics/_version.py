"""The version of iti_analytics (one place, read by the package and its files)."""

__version__ = "0.1.0.dev0"
