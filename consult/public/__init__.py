"""Public pages: the home page and what anyone may read."""
