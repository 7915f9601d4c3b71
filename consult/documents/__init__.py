"""Compiled documents: background jobs that build them and the versions they produce, stored as files."""
