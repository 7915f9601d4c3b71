"""Retention of personal data: how long each kind of record keeps it (periods set by an administrator) and its
anonymisation once past that period (`consult retention`)."""
