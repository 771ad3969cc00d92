"""The GraphQL edge: documents, limits, rate limits, HTTP and WebSocket transports."""
