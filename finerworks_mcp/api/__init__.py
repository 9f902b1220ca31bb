"""FinerWorks as this server sees it: the endpoint catalogue, the client, and the schemas of its requests and answers.

Nothing here knows MCP exists (the import contract in pyproject.toml holds it).
"""
