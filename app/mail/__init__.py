"""E-mail: invitations to a meeting and reminders, through a durable outbox."""
