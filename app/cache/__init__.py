"""The response cache port and its engines: in-process (bounded LRU) and Redis."""
