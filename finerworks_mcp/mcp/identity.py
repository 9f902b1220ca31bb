"""Who is calling: the name the guard files proposed changes under.

- HTTP with bearer tokens: the name the token was given in FINERWORKS_MCP_TOKENS, or `default` for the one
  FINERWORKS_MCP_TOKEN. The token is checked on every request in both protocol eras, so this is the same in the
  handshake era (with its session) and in 2026-07-28 (no session): a session is not an identity, and a client that
  reconnects with its token keeps its proposed changes.
- stdio, the in-memory client, and HTTP with --no-auth (loopback only): `local`. One stdio process serves one
  client; workers sharing a store are the same local person, who holds the keys anyway.
"""

from __future__ import annotations

from mcp.server.auth.middleware.auth_context import get_access_token

from finerworks_mcp.mcp.context import Ctx

LOCAL = "local"


def client_name(ctx: Ctx) -> str:
    del ctx  # the identity travels with the request's authentication, not the MCP context
    token = get_access_token()
    return token.client_id if token is not None and token.client_id else LOCAL
