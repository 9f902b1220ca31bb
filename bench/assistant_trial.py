"""The assistant trial: the three jobs done as a scripted assistant would, against the simulator, counting the calls
it makes and the cl100k tokens of the answers it reads.

The assistant knows only what the server shows: it picks each tool by matching the words of what it wants to do
against the tool list's names, titles and descriptions (never by a hard-coded tool name), reads the answers' text and
structured content, and stops when the job is done. The jobs are the issue's own:

- quote: "quote three 16x20 fine-art prints and one 24x36 canvas shipped to Austin"
- order: "where is my latest order" (no id given)
- cleanup: "delete the images no product uses, first batch only, then verify" (86 such images in the seed)
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcp import Client
from mcp.types import CallToolResult, TextContent, Tool

from bench import sizes, subjects
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.offline import SIMULATOR_KEYS
from finerworks_mcp.simulator import SimulatorState, SimulatorTransport

AUSTIN = {
    "first_name": "Rosa",
    "last_name": "Delgado",
    "address_1": "1100 Congress Ave",
    "city": "Austin",
    "state_code": "TX",
    "zip_postal_code": "78701",
    "country_code": "us",
}


@dataclass(frozen=True)
class Goal:
    calls: int
    tokens: int


GOALS = {
    "quote": Goal(3, 2_500),
    "order": Goal(2, 800),
    "cleanup": Goal(4, 6_000),
}
QUOTE_LINE_TOKENS = 40
"""The most a priced line of a quote's text may cost (issue 13, point 3)."""
CLEANUP_ITEM_TOKENS = 20
"""The most one item's line in a cleanup plan's text may cost; the whole plan stays within this per item plus a
little for its headers and tokens."""
JOBS = {
    "quote": "quote three 16x20 fine-art prints and one 24x36 canvas shipped to Austin",
    "order": "where is my latest order",
    "cleanup": "delete the images no product uses, first batch only, then verify",
}


@dataclass(frozen=True)
class Call:
    tool: str
    tokens: int
    text: str


@dataclass
class JobRun:
    job: str
    calls: list[Call] = field(default_factory=list[Call])
    answer: str = ""
    """What the assistant would tell the person, from what it read."""

    @property
    def tokens(self) -> int:
        return sum(call.tokens for call in self.calls)

    @property
    def goal(self) -> Goal:
        return GOALS[self.job]

    @property
    def met(self) -> bool:
        return len(self.calls) <= self.goal.calls and self.tokens <= self.goal.tokens

    def as_json(self) -> dict[str, Any]:
        return {
            "job": JOBS[self.job],
            "calls": [{"tool": call.tool, "tokens": call.tokens} for call in self.calls],
            "call_count": len(self.calls),
            "tokens": self.tokens,
            "goal": {"calls": self.goal.calls, "tokens": self.goal.tokens},
            "met": self.met,
            "answer": self.answer,
        }


class Assistant:
    """Chooses tools by their words, calls them, and counts what it reads."""

    def __init__(self, client: Client, tools: Sequence[Tool], run: JobRun) -> None:
        self.client = client
        self.tools = tools
        self.run = run

    def choose(self, wish: str) -> str:
        """The tool whose name, title and description share the most words with the wish; the first listed wins a
        tie (the server lists its workflow tools first)."""
        wanted = _words(wish)
        scores = [(len(wanted & _words(f"{t.name} {t.title or ''} {t.description or ''}")), t.name) for t in self.tools]
        best = max(score for score, _ in scores)
        return next(name for score, name in scores if score == best)

    async def call(self, wish: str, arguments: dict[str, Any]) -> tuple[dict[str, Any], str]:
        tool = self.choose(wish)
        result: CallToolResult = await self.client.call_tool(tool, arguments)
        text = "\n".join(part.text for part in result.content if isinstance(part, TextContent))
        # Other blocks (resource links, pictures' data) reach the model too, as the client serialises them.
        others = [part for part in result.content if not isinstance(part, TextContent)]
        extra = sum(
            sizes.tokens(sizes.compact_json(part.model_dump(mode="json", exclude_none=True))) for part in others
        )
        self.run.calls.append(Call(tool, sizes.tokens(text) + extra, text))
        if result.is_error:
            raise RuntimeError(f"{tool} failed: {text}")
        return result.structured_content or {}, text


def _words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", text.lower().replace("_", " ")) if len(word) > 2}


async def quote_job(assistant: Assistant) -> str:
    media, _ = await assistant.call("media papers canvases product type styles", {})
    listed = media.get("media_types") or []
    paper = next(m for m in listed if "paper" in m["name"].lower())
    canvas = next(m for m in listed if "canvas" in m["name"].lower())

    def code(medium: dict[str, Any], width: int, height: int) -> str:
        return f"{medium['product_type_id']}M{medium['id']}M{medium['style_ids'][0]}S{width}X{height}"

    items = [
        {"product_sku": code(paper, 16, 20), "product_qty": 3},
        {"product_sku": code(canvas, 24, 36), "product_qty": 1},
    ]
    quote, _ = await assistant.call(
        "quote prices of product codes with shipping to a recipient", {"items": items, "recipient": AUSTIN}
    )
    return f"Grand total ${quote['grand_total']:,.2f} for {len(quote['lines'])} line(s)."


async def order_job(assistant: Assistant) -> str:
    lookup, _ = await assistant.call("where is my order recent orders status tracking", {})
    latest = lookup["orders"][0]
    return f"Your latest order, PO {latest['order_po']}, is {latest['status']}."


async def cleanup_job(assistant: Assistant) -> str:
    criteria = {"images": {"without_products": True}}
    plan, _ = await assistant.call("plan cleanup delete images with no products in batches", criteria)
    first = plan["images"]["batches"][0]
    done, _ = await assistant.call(
        "confirm a proposed change token", {"confirmation_token": first["confirmation_token"]}
    )
    check, _ = await assistant.call("plan cleanup delete images with no products in batches", criteria)
    left = check["images"]["matched"]
    return f"{'Deleted' if done['executed'] else 'Did not delete'} batch 1 ({first['count']} images); {left} remain."


JOB_SCRIPTS = {"quote": quote_job, "order": order_job, "cleanup": cleanup_job}


async def run_trial() -> list[JobRun]:
    """Each job on a fresh simulator and a fresh server (its own audit folder), as a new conversation would."""
    runs: list[JobRun] = []
    for job, script in JOB_SCRIPTS.items():
        with tempfile.TemporaryDirectory(prefix="finerworks-trial-") as folder:
            settings = subjects.in_process_settings(FINERWORKS_AUDIT_LOG=str(Path(folder) / "audit.jsonl"))
            server = build_server(settings, transport=SimulatorTransport(SimulatorState()), keys=SIMULATOR_KEYS)
            async with Client(server) as client:  # pyright: ignore[reportArgumentType]
                tools = (await client.list_tools()).tools
                run = JobRun(job)
                run.answer = await script(Assistant(client, tools, run))
        runs.append(run)
    return runs
