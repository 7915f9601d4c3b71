"""Registers of units, organisations and accounts."""
