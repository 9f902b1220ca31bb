"""Previews of the write endpoints, computed with reads only (registered with `guard.previews`).

One module per area; importing a module registers its previewers. `load_all` imports them all, so the guard can
preview and re-check any write whatever toolsets are switched on.
"""

from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
