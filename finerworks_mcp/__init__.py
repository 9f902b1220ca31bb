"""finerworks-mcp: an MCP server for FinerWorks fine-art print-on-demand.

Public surface: `finerworks_mcp.mcp.build_server` (the app factory), `finerworks_mcp.config.load_settings`,
`finerworks_mcp.settings.Settings`, and `__version__`. Everything else is importable for tests and tooling but is not
a stable API. Layers, top to bottom (tests/test_layers and the import contract in pyproject.toml hold them):
cli/demo/check/asgi/config/offline -> mcp -> workflows -> guard -> api -> settings; the simulator sits beside mcp and
is built only by the top.
"""

__version__ = "0.1.0"
