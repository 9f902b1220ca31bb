"""finerworks-mcp with the round-robin pools it used to have, to measure what they would buy (bench/variants.py).

    python -m bench.variant_server [--pools N]

FinerWorks requests take N httpx2 pools in turn (sharing one TLS context, each keeping its share of the
connections) instead of the one pool of api/connections.py; then MCP is served on stdio as `finerworks-mcp` does.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from typing import Any

import httpx2

from finerworks_mcp.api import client
from finerworks_mcp.api.connections import Connections
from finerworks_mcp.cli import main as serve


def round_robin(count: int) -> type[Connections]:
    class RoundRobin(Connections):
        _pools: list[httpx2.AsyncClient]
        _turn: itertools.count[int]

        def open(self, *, verify: Any = True, share: int = 1) -> httpx2.AsyncClient:
            tls = httpx2.create_ssl_context()
            self._pools = [Connections.open(self, verify=tls, share=count) for _ in range(count)]
            self._turn = itertools.count()
            return self._pools[0]

        async def request(self, endpoint: str, method: str, *, params: Any, json: Any) -> httpx2.Response:
            if self._http is None:
                self._http = self.open()
            self._http = self._pools[next(self._turn) % count]
            return await super().request(endpoint, method, params=params, json=json)

        async def aclose(self) -> None:
            for pool in self._pools if self._http is not None else []:
                await pool.aclose()
            self._http = None

    return RoundRobin


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.variant_server")
    parser.add_argument("--pools", type=int, default=1)
    args = parser.parse_args(argv)
    if args.pools > 1:
        client.Connections = round_robin(args.pools)  # type: ignore[misc]
    return serve([])


if __name__ == "__main__":
    raise SystemExit(main())
