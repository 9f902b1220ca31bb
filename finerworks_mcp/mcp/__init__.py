"""The MCP layer, the only one that imports the SDK: the server factory (`server.build_server`), one module of tools
per toolset (`tools/`), tool-list compaction (`compact`), answers and the one place errors become tool results
(`content.answering`), the per-request context (`context`), resources, prompts, the streamable HTTP transport
(`http`) and the transcript log (`transcript`).

It sits on `workflows`, `guard` and `api`; the composition root above it hands it the settings and, for the
simulator, a transport.
"""
