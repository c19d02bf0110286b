"""Conversation frames as data: the built-in ones and an organisation's own."""
