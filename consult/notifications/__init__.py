"""Notifications: messages to signed-in users (an outbox), written by operations after a commit."""
