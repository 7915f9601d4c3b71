"""Organisations (NGOs) and city units."""
