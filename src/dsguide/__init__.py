"""dsguide: a static site generator for a curated knowledge base of data science career advice."""

__version__ = "0.1.0"
