"""The MCP layer: the only one that imports the SDK (server factory, tools, content, resources, prompts, HTTP)."""
