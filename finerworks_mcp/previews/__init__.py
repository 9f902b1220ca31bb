"""Previews of the write endpoints, computed with reads only (registered with `guard.writes`).

One module per area; importing a module registers its previewers. `load_all` imports them all, so the guard can
preview and re-check any write whatever toolsets are switched on; `guard.writes.write_spec` calls it when the
first write is proposed, not at start-up (about 2 ms every client would wait for). The areas are named rather than
discovered; tests/test_every_write_is_guarded fails for a write whose previewer is missing.
"""

from __future__ import annotations

import importlib

AREAS = ("account", "events", "images", "inventory", "orders")


def load_all() -> None:
    for area in AREAS:
        importlib.import_module(f"{__name__}.{area}")
