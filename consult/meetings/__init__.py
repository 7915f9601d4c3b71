"""Sector meetings (spotkania branżowe) of a programme's consultation."""
