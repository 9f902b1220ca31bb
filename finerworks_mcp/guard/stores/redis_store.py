"""Pending actions in Redis, shared by workers on several hosts (`pip install 'finerworks-mcp[redis]'`).

Each action is a hash (`state`, `record`, `client`, `lease_until`) that Redis expires by itself
`RETENTION_SECONDS` after the action's own expiry. Its request body is a key of its own that expires with the
proposal, or with the claim's lease once claimed, so a stalled worker cannot leave an address stored for a day. The
single-use ledger is one `SET NX` key per claimed action, which a reset state does not undo. A sorted set per client
indexes its open actions. Claim and finish are Lua scripts, which Redis runs atomically: of two hosts confirming one
token exactly one wins.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from redis.asyncio import Redis
from redis.exceptions import RedisError

from finerworks_mcp.guard.store import ActionState, PendingAction, settled
from finerworks_mcp.guard.stores.common import (
    OpenWhileServing,
    StateStoreUnavailable,
    action_from,
    body_of,
    record_of,
    seconds_to_keep,
)

T = TypeVar("T")

PREFIX = "finerworks-mcp:v2:"
SOCKET_TIMEOUT_SECONDS = 5.0
"""A Redis that does not answer fails the call instead of hanging it."""

CLAIM = """
if redis.call('HGET', KEYS[1], 'state') ~= 'pending' then return false end
local keep = redis.call('TTL', KEYS[1])
if keep < 1 then keep = 86400 end
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', keep) then return false end
redis.call('HSET', KEYS[1], 'state', 'claimed', 'lease_until', ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[2])
return {redis.call('HGET', KEYS[1], 'record'), redis.call('GET', KEYS[3])}
"""

FINISH = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'record', ARGV[3])
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
return 1
"""


def _key(action_id: str) -> str:
    return f"{PREFIX}action:{action_id}"


def _body_key(action_id: str) -> str:
    return f"{PREFIX}body:{action_id}"


def _claim_key(action_id: str) -> str:
    return f"{PREFIX}claim:{action_id}"


def _open_key(client: str) -> str:
    return f"{PREFIX}open:{client}"


def _seconds(until: float, now: float) -> int:
    return max(1, math.ceil(until - now))


class RedisActionStore(OpenWhileServing):
    def __init__(self, url: str, *, clock: Callable[[], float] = time.time) -> None:
        self._url = url
        self._clock = clock
        self._redis: Redis | None = None

    async def _close(self) -> None:
        if self._redis is not None:
            client, self._redis = self._redis, None
            await client.aclose()

    def _client(self) -> Redis:
        if self._redis is None:
            self._redis = Redis.from_url(  # pyright: ignore[reportUnknownMemberType]
                self._url,
                decode_responses=True,
                socket_timeout=SOCKET_TIMEOUT_SECONDS,
                socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
            )
        return self._redis

    async def _run(self, operation: Callable[[Redis], Awaitable[T]]) -> T:
        try:
            return await operation(self._client())
        except (RedisError, OSError) as error:
            raise StateStoreUnavailable("Redis", error) from error

    async def put(self, action: PendingAction) -> None:
        now = self._clock()
        fields: dict[Any, Any] = {"state": action.state, "record": record_of(action), "client": action.client}
        lifetime = seconds_to_keep(action, now)

        async def put(redis: Redis) -> None:
            async with redis.pipeline(transaction=True) as pipe:
                pipe.hset(_key(action.id), mapping=fields)
                pipe.expire(_key(action.id), lifetime)
                if action.body is not None:
                    pipe.set(_body_key(action.id), body_of(action), ex=_seconds(action.expires_at, now))
                if action.state == "pending":
                    pipe.zadd(_open_key(action.client), {action.id: action.created_at})
                    pipe.expire(_open_key(action.client), lifetime)
                await pipe.execute()

        await self._run(put)

    async def get(self, action_id: str) -> PendingAction | None:
        async def get(redis: Redis) -> list[Any]:
            async with redis.pipeline(transaction=False) as pipe:
                pipe.hgetall(_key(action_id))
                pipe.get(_body_key(action_id))
                return await pipe.execute()

        fields, body = await self._run(get)
        return _action(fields, body)

    async def claim(self, action_id: str, lease_until: float) -> PendingAction | None:
        now = self._clock()

        async def claim(redis: Redis) -> Any:
            # The ledger entry lives as long as the action's record (its hash's TTL).
            keys = (_key(action_id), _claim_key(action_id), _body_key(action_id))
            return await redis.eval(CLAIM, 3, *keys, repr(lease_until), _seconds(lease_until, now))  # pyright: ignore[reportUnknownMemberType]

        found = await self._run(claim)
        if not found:
            return None
        record, body = cast(list[str | None], found)
        return None if record is None else action_from(record, "claimed", body, lease_until)

    async def finish(self, action: PendingAction, state: ActionState) -> None:
        # The request body and preview may hold addresses; once settled, only the record is needed.
        async def finish(redis: Redis) -> Any:
            keys = (_key(action.id), _body_key(action.id), _open_key(action.client))
            return await redis.eval(FINISH, 3, *keys, action.id, state, record_of(settled(action, state)))  # pyright: ignore[reportUnknownMemberType]

        await self._run(finish)

    async def list_open(self, client: str) -> list[PendingAction]:
        now = self._clock()

        async def listed(redis: Redis) -> tuple[list[str], list[Any]]:
            ids = cast(list[str], await redis.zrange(_open_key(client), 0, -1))  # pyright: ignore[reportUnknownMemberType]
            async with redis.pipeline(transaction=False) as pipe:
                for action_id in ids:
                    pipe.hgetall(_key(action_id))
                    pipe.get(_body_key(action_id))
                return ids, await pipe.execute()

        ids, replies = await self._run(listed)
        found = [_action(replies[2 * n], replies[2 * n + 1]) for n in range(len(ids))]
        closed = [
            action_id for action_id, action in zip(ids, found, strict=True) if action is None or not action.open(now)
        ]
        if closed:
            await self._run(lambda redis: redis.zrem(_open_key(client), *closed))  # pyright: ignore[reportUnknownMemberType, reportUnknownLambdaType]
        return sorted((a for a in found if a is not None and a.open(now)), key=lambda action: action.created_at)


def _action(fields: dict[str, str], body: str | None) -> PendingAction | None:
    if "record" not in fields or "state" not in fields:
        return None  # gone: expired by Redis, or never stored
    return action_from(fields["record"], fields["state"], body, fields.get("lease_until"))
