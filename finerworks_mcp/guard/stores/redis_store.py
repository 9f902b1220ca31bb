"""Pending actions in Redis, shared by workers on several hosts (`pip install 'finerworks-mcp[redis]'`).

Each action is a hash (`state`, `record`, and `body` until it is settled) that Redis expires by itself
`RETENTION_SECONDS` after the action's own expiry; a sorted set indexes the pending ones by expiry. Claim and finish
are Lua scripts, which Redis runs atomically: of two hosts confirming one token exactly one wins.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from redis.asyncio import Redis
from redis.exceptions import RedisError

from finerworks_mcp.guard.store import ActionState, PendingAction
from finerworks_mcp.guard.stores.common import (
    OpenWhileServing,
    StateStoreUnavailable,
    action_from,
    body_of,
    record_of,
    seconds_to_keep,
)

T = TypeVar("T")

PREFIX = "finerworks-mcp:"
PENDING_INDEX = PREFIX + "pending"
SOCKET_TIMEOUT_SECONDS = 5.0
"""A Redis that does not answer fails the call instead of hanging it."""

CLAIM = """
if redis.call('HGET', KEYS[1], 'state') ~= 'pending' then return false end
redis.call('HSET', KEYS[1], 'state', 'claimed')
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('HMGET', KEYS[1], 'record', 'body')
"""

FINISH = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
redis.call('HDEL', KEYS[1], 'body')
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
"""


def _key(action_id: str) -> str:
    return f"{PREFIX}action:{action_id}"


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
        fields: dict[Any, Any] = {"state": action.state, "record": record_of(action), "body": body_of(action)}
        lifetime = seconds_to_keep(action, self._clock())

        async def put(redis: Redis) -> None:
            async with redis.pipeline(transaction=True) as pipe:
                pipe.hset(_key(action.id), mapping=fields)
                pipe.expire(_key(action.id), lifetime)
                if action.state == "pending":
                    pipe.zadd(PENDING_INDEX, {action.id: action.expires_at})
                await pipe.execute()

        await self._run(put)

    async def get(self, action_id: str) -> PendingAction | None:
        fields = await self._run(lambda redis: _hgetall(redis, _key(action_id)))
        return _action(fields)

    async def claim(self, action_id: str) -> PendingAction | None:
        async def claim(redis: Redis) -> Any:
            return await redis.eval(CLAIM, 2, _key(action_id), PENDING_INDEX, action_id)  # pyright: ignore[reportUnknownMemberType]

        found = await self._run(claim)
        if not found:
            return None
        record, body = cast(list[str | None], found)
        return None if record is None else action_from(record, "claimed", body)

    async def finish(self, action_id: str, state: ActionState) -> None:
        # The request body may hold addresses; once finished, only its digest and summary are needed.
        async def finish(redis: Redis) -> Any:
            return await redis.eval(FINISH, 2, _key(action_id), PENDING_INDEX, action_id, state)  # pyright: ignore[reportUnknownMemberType]

        await self._run(finish)

    async def list_pending(self) -> list[PendingAction]:
        now = self._clock()

        async def pending(redis: Redis) -> list[dict[str, str]]:
            await redis.zremrangebyscore(PENDING_INDEX, "-inf", now)  # expired: no longer worth listing
            ids = cast(list[str], await redis.zrange(PENDING_INDEX, 0, -1))  # pyright: ignore[reportUnknownMemberType]
            async with redis.pipeline(transaction=False) as pipe:
                for action_id in ids:
                    pipe.hgetall(_key(action_id))
                return cast(list[dict[str, str]], await pipe.execute())

        actions = [_action(fields) for fields in await self._run(pending)]
        return sorted(
            (action for action in actions if action is not None and action.state == "pending"),
            key=lambda action: action.created_at,
        )


async def _hgetall(redis: Redis, key: str) -> dict[str, str]:
    return cast(dict[str, str], await redis.hgetall(key))  # pyright: ignore[reportUnknownMemberType]


def _action(fields: dict[str, str]) -> PendingAction | None:
    if "record" not in fields or "state" not in fields:
        return None  # gone: expired by Redis, or never stored
    return action_from(fields["record"], fields["state"], fields.get("body"))
