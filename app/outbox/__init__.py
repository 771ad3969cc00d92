"""The outbox dispatcher: performs what must follow a committed write."""
