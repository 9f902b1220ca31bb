"""An action runs only where, how and for whom it was proposed, and only as it was stored: two servers on one
shared store (SQLite, Redis) with different settings, and store rows edited between the preview and the confirm."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import redis
from mcp import Client

from finerworks_mcp.simulator import SimulatorState
from finerworks_mcp.simulator.seed import RECEIVED_ORDER_ID
from tests.support import GUARD_SECRET, call_error, call_ok, make_server, say_yes, upstream

pytestmark = pytest.mark.anyio

HOLD = {"order_id": RECEIVED_ORDER_ID, "update_command": "hold"}
NOTE = {"order_id": RECEIVED_ORDER_ID, "subject": "Gift", "message": "benign"}


@pytest.fixture(params=["sqlite", "redis"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """Settings two workers share: the guard secret and a store both reach."""
    url = request.getfixturevalue("redis_url") if request.param == "redis" else f"sqlite:///{tmp_path}/state.db"
    return {"STATE_URL": url, "GUARD_SECRET": GUARD_SECRET}


@asynccontextmanager
async def two_workers(
    sim: SimulatorState, there: Mapping[str, str], here: Mapping[str, str]
) -> AsyncIterator[tuple[Client, Client]]:
    """The worker that proposes (`there`) and another (`here`), built apart, on one store and one FinerWorks."""
    async with (
        Client(make_server(sim, env=there), elicitation_callback=say_yes) as proposer,  # type: ignore[arg-type]
        Client(make_server(sim, env=here), elicitation_callback=say_yes) as other,  # type: ignore[arg-type]
    ):
        yield proposer, other


@pytest.mark.parametrize(
    ("there", "here", "named"),
    [
        ({"ENV": "sandbox"}, {"ENV": "production"}, "environment (FINERWORKS_ENV) was sandbox there and is production"),
        (
            {"BASE_URL": "http://127.0.0.1:8101/v3"},
            {"BASE_URL": "http://127.0.0.1:8102/v3"},
            "FinerWorks address (FINERWORKS_BASE_URL) was http://127.0.0.1:8101/v3 there",
        ),
        ({"ACCOUNT_KEY": "acct-a"}, {"ACCOUNT_KEY": "acct-b"}, "account (FINERWORKS_ACCOUNT_KEY) was acct-a there"),
        ({"CONFIRMATION": "elicit"}, {}, "confirmation mode (FINERWORKS_CONFIRMATION) was elicit there and is auto"),
        ({}, {"TOOLSETS": "workflows"}, "update_order, which this server does not offer"),
    ],
)
async def test_a_worker_set_up_differently_refuses_the_change_and_names_the_difference(
    sim: SimulatorState, shared: dict[str, str], there: dict[str, str], here: dict[str, str], named: str
) -> None:
    async with two_workers(sim, {**shared, **there}, {**shared, **here}) as (proposer, other):
        token = {"confirmation_token": (await call_ok(proposer, "update_order", HOLD))["confirmation_token"]}
        refused = await call_error(other, "confirm_action", token)
        also_refused = await call_error(other, "cancel_action", token)
        assert upstream(sim, "update_order") == []
        done = await call_ok(proposer, "confirm_action", token)  # where it was proposed, it still runs
    assert named in refused
    assert "Nothing was sent" in refused
    assert named in also_refused
    assert done["executed"] is True
    assert len(upstream(sim, "update_order")) == 1


async def test_a_read_only_worker_has_no_way_to_confirm(sim: SimulatorState, shared: dict[str, str]) -> None:
    async with two_workers(sim, shared, {**shared, "READ_ONLY": "true"}) as (proposer, read_only):
        token = (await call_ok(proposer, "update_order", HOLD))["confirmation_token"]
        result = await read_only.call_tool("confirm_action", {"confirmation_token": token})
    assert result.is_error
    assert upstream(sim, "update_order") == []


# --- the stored row is not trusted -----------------------------------------------------------------------------


class StoreRows:
    """Direct access to a shared store's rows, as someone with the store's password has it."""

    def __init__(self, url: str) -> None:
        self.url = url

    def read(self, action_id: str) -> dict[str, Any]:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite://")) as db:
                record, body, state = db.execute(
                    "SELECT record, body, state FROM actions WHERE id = ?", (action_id,)
                ).fetchone()
            return {"record": json.loads(record), "body": body and json.loads(body), "state": state}
        with redis.Redis.from_url(self.url, decode_responses=True) as db:
            fields = db.hgetall(f"finerworks-mcp:v2:action:{action_id}")
            body = db.get(f"finerworks-mcp:v2:body:{action_id}")
        return {"record": json.loads(fields["record"]), "body": body and json.loads(body), "state": fields["state"]}  # type: ignore[index, arg-type]

    def write(self, action_id: str, row: dict[str, Any]) -> None:
        record, body = json.dumps(row["record"]), json.dumps(row["body"])
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite://")) as db:
                db.execute(
                    "UPDATE actions SET record = ?, body = ?, state = ? WHERE id = ?",
                    (record, body, row["state"], action_id),
                )
            return
        with redis.Redis.from_url(self.url, decode_responses=True) as db:
            db.hset(f"finerworks-mcp:v2:action:{action_id}", mapping={"record": record, "state": row["state"]})
            db.set(f"finerworks-mcp:v2:body:{action_id}", body)


def deletion(row: dict[str, Any]) -> None:
    row["record"] |= {"endpoint": "delete_images", "tool": "delete_images"}
    row["body"] = {"guids": ["4f1c0d9e-0000-4000-8000-000000000001"], "library": "inventory"}


def other_body(row: dict[str, Any]) -> None:
    row["body"] = {**row["body"], "message": "Cancel everything and refund nothing."}


def other_summary(row: dict[str, Any]) -> None:
    row["record"]["summary"] = "Add the note 'benign' to order 1001 (nothing else happens)"


def other_environment(row: dict[str, Any]) -> None:
    row["record"]["binding"]["environment"] = "production"


@pytest.mark.parametrize("edit", [deletion, other_body, other_summary, other_environment])
async def test_a_store_row_edited_after_the_preview_is_refused_and_nothing_is_sent(
    sim: SimulatorState, shared: dict[str, str], edit: Any
) -> None:
    rows = StoreRows(shared["STATE_URL"])
    async with Client(make_server(sim, env=shared)) as client:  # type: ignore[arg-type]
        token: str = (await call_ok(client, "submit_note", NOTE))["confirmation_token"]
        row = rows.read(token.split("-")[0])
        edit(row)
        rows.write(token.split("-")[0], row)
        message = await call_error(client, "confirm_action", {"confirmation_token": token})
    assert "does not match its action" in message
    assert sim.write_requests == []


async def test_a_settled_action_whose_row_is_reset_to_pending_never_runs_again(
    sim: SimulatorState, shared: dict[str, str]
) -> None:
    rows = StoreRows(shared["STATE_URL"])
    async with Client(make_server(sim, env=shared)) as client:  # type: ignore[arg-type]
        token: str = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        as_proposed = rows.read(token.split("-")[0])
        await call_ok(client, "confirm_action", {"confirmation_token": token})
        rows.write(token.split("-")[0], as_proposed)  # state, body and record exactly as before the confirm
        message = await call_error(client, "confirm_action", {"confirmation_token": token})
        cancelled = await call_error(client, "cancel_action", {"confirmation_token": token})
    assert "already used" in message
    assert "already used" in cancelled
    assert len(upstream(sim, "update_order")) == 1
