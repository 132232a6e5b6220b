"""ehe-letters: letters and statutory notices for elective home education teams."""

__version__ = "0.1.0"
