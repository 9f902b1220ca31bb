"""Whether a host stays on this machine: the one test the settings (plain http only to loopback), the HTTP
transport (binding without a token) and the simulator (it serves published keys, so loopback only) all use.

At the very bottom of the package: it imports nothing of ours, so every layer and the simulator may ask it.
"""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 (bracketed or not) and localhost (in any case, as host names are)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
