"""Annual cooperation programmes and their consultation windows."""
