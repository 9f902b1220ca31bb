"""Previews of the write endpoints, computed with reads only (registered with `guard.writes.previewer`).

One module per area; importing this package registers every previewer, so the guard can preview and re-check any
write whatever toolsets are switched on. tests/test_every_write_is_guarded fails for a write whose previewer is missing.
"""

from finerworks_mcp.guard.previews import account, events, images, inventory, orders

AREAS = (account, events, images, inventory, orders)
