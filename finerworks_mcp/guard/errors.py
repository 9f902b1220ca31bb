"""The guard's own errors. The MCP layer turns them into tool results the model reads (`mcp.content.answering`)."""


class GuardError(Exception):
    """Something in the guard went wrong in a way the model must be told about; the message says what to do."""
