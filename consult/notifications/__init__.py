"""Notifications: messages to users (read at /powiadomienia), written after a commit and e-mailed (SMTP)."""
