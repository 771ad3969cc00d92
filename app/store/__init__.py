"""The store: the port, its engines, and the repositories written against it."""
