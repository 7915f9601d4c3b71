"""Membership: people signing up, confirming their address, registering their organisation or asking to join one,
and the roles they hold inside it (administrator, member)."""
