"""Demo data: the fixture meeting and one account per role, loaded through the normal operations."""
