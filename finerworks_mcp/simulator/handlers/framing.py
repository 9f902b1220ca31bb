"""Framing: collections, frames, mats, glazing, and frame_builder (validate, price and preview a frame package)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from finerworks_mcp.simulator.call import Call
from finerworks_mcp.simulator.catalog import COLLECTIONS, FRAMES, GLAZING, MATS, STYLES, Frame, matted_size
from finerworks_mcp.simulator.envelope import Refused, Reply
from finerworks_mcp.simulator.png import framed_square, hex_colour, lighter
from finerworks_mcp.simulator.pricing import PriceBreakdown, breakdown, framing_breakdown, price_row
from finerworks_mcp.simulator.product_codes import ProductCode, code_problem, framing_problem, parse_product_code
from finerworks_mcp.simulator.rules import FRAME_BUILDER, FRAME_CONFIG, FRAME_DETAILS, ID_AND_CODE
from finerworks_mcp.simulator.state import SimulatorState
from finerworks_mcp.simulator.validation import Problems, Rule, as_list, as_object

PREVIEW_PIXELS = 64
CENTIMETRES_PER_INCH = Decimal("2.54")
BUILD_KEYS = ("product_code", "frame", "mats", "glazing", "price_details", "render_data")


def _print_code(body: dict[str, Any], problems: Problems) -> ProductCode | None:
    """The body's `product_code` as a valid code, or None (with a problem filed when it is invalid)."""
    text = body.get("product_code")
    if not isinstance(text, str) or not text.strip():
        return None
    code = parse_product_code(text)
    problem = "it does not follow {type}M{media}M{style}S{width}X{height}" if code is None else code_problem(code)
    if problem:
        problems.add("product_code", f"'{text}' is not a valid product code: {problem}.")
        return None
    return code


def _filter_request(call: Call, rules: tuple[Rule, ...]) -> tuple[dict[str, Any], ProductCode | None]:
    body = call.fields()
    problems = Problems()
    problems.check(body, rules)
    code = _print_code(body, problems)
    problems.raise_if_any()
    return body, code


def _fits(frame: Frame, code: ProductCode) -> bool:
    return code_problem(replace(code.print_only, frame_id=frame.id)) is None


def list_collections(state: SimulatorState, call: Call) -> Reply:
    body, code = _filter_request(call, ID_AND_CODE)
    collection_id = body.get("id")
    if collection_id is not None and collection_id not in COLLECTIONS:
        return Reply({"collections": []}, f"No frame collection has id {collection_id}.")
    chosen = [COLLECTIONS[collection_id]] if collection_id is not None else list(COLLECTIONS.values())
    if code is not None:
        chosen = [c for c in chosen if any(_fits(f, code) for f in c.frames)]
    # FinerWorks lists a collection's frames only when the request names the collection.
    return Reply(
        {
            "collections": [
                c.as_json([f for f in c.frames if code is None or _fits(f, code)] if collection_id else None)
                for c in chosen
            ]
        }
    )


def frame_details(state: SimulatorState, call: Call) -> Reply:
    body, _ = _filter_request(call, FRAME_DETAILS)
    frame = FRAMES.get(body["id"])
    if frame is None:
        raise Refused(f"No frame has id {body['id']}.", {"frame": None})
    return Reply({"frame": frame.as_json()})


def list_mats(state: SimulatorState, call: Call) -> Reply:
    body, code = _filter_request(call, ID_AND_CODE)
    if code is not None and not STYLES[code.style_id].can_mat:
        return Reply({"mats": []}, f"Style {code.style_id} cannot be matted.")
    chosen = [m for m in MATS.values() if body.get("id") in (None, m.id)]
    return Reply({"mats": [m.as_json() for m in chosen]})


def list_glazing(state: SimulatorState, call: Call) -> Reply:
    body, code = _filter_request(call, ID_AND_CODE)
    if code is not None and not STYLES[code.style_id].can_glaze:
        return Reply({"glazing": []}, f"Style {code.style_id} cannot be glazed.")
    chosen = [g for g in GLAZING.values() if body.get("id") in (None, g.id)]
    return Reply({"glazing": [g.as_json() for g in chosen]})


@dataclass(frozen=True, slots=True)
class Framing:
    frame_id: int
    mat_ids: tuple[int, ...] = ()
    glazing_id: int | None = None

    def applied_to(self, code: ProductCode) -> ProductCode:
        return replace(code, frame_id=self.frame_id, mat_ids=self.mat_ids, glazing_id=self.glazing_id)


def _config_framing(config: dict[str, Any], problems: Problems) -> Framing:
    """The frame, mats and glazing a frame_config asks for; unknown ids are filed as problems."""
    problems.check(config, FRAME_CONFIG, "config")
    frame_id = config.get("frame_id")
    if isinstance(frame_id, int) and frame_id not in FRAMES:
        problems.add("config.frame_id", f"No frame has id {frame_id}.")
    mat_ids: list[int] = []
    for index, raw in enumerate(as_list(config.get("mats")) or []):
        mat = problems.require_object(raw, f"config.mats[{index}]")
        if mat is None:
            continue
        problems.check(mat, (Rule("id", "int", required=True),), f"config.mats[{index}]")
        if isinstance(mat.get("id"), int):
            mat_ids.append(mat["id"])
            if mat["id"] not in MATS:
                problems.add(f"config.mats[{index}].id", f"No mat has id {mat['id']}.")
    glazing = as_object(config.get("glazing"))
    glazing_id = glazing.get("id") if glazing else None
    if glazing_id is not None and glazing_id not in GLAZING:
        problems.add("config.glazing.id", f"No glazing has id {glazing_id}.")
    return Framing(frame_id if isinstance(frame_id, int) else 0, tuple(mat_ids), glazing_id)


def _config_size(config: dict[str, Any], problems: Problems) -> tuple[Decimal, Decimal]:
    """The artwork size the config gives (inches, or centimetres when `units` is 1)."""
    for side in ("width", "height"):
        if config.get(side) is None:
            problems.add(f"config.{side}", f"The {side} field is required when product_code is not given.")
    problems.raise_if_any()
    scale = CENTIMETRES_PER_INCH if config.get("units") == 1 else Decimal(1)
    width, height = (Decimal(str(config[side])) / scale for side in ("width", "height"))
    return round(width, 2), round(height, 2)


def _refuse_if(problem: str | None) -> None:
    if problem:
        empty: dict[str, Any] = dict.fromkeys(BUILD_KEYS)
        raise Refused(f"This framing option is not valid: {problem}.", empty)


def _priced_package(
    code: ProductCode | None, config: dict[str, Any] | None, framing: Framing | None, problems: Problems
) -> tuple[ProductCode | None, Framing, PriceBreakdown]:
    """The framed product (None for a frame package without a print), its framing, and its prices."""
    if code is not None and code.frame_id is None and framing is not None:
        code = framing.applied_to(code)
    if code is not None and code.frame_id is not None:
        _refuse_if(code_problem(code))
        return code, Framing(code.frame_id, code.mat_ids, code.glazing_id), breakdown(code)
    assert config is not None
    assert framing is not None
    outer = matted_size(*_config_size(config, problems), len(framing.mat_ids))
    _refuse_if(framing_problem(framing.frame_id, framing.mat_ids, framing.glazing_id, outer))
    return None, framing, framing_breakdown(FRAMES[framing.frame_id], framing.mat_ids, framing.glazing_id, *outer)


def frame_builder(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, FRAME_BUILDER)
    code = _print_code(body, problems)
    config = as_object(body.get("config"))
    if config is None and (code is None or code.frame_id is None):
        problems.add("config", "The config field is required unless product_code names a framed product.")
    framing = _config_framing(config, problems) if config is not None else None
    problems.raise_if_any()
    # A product code (framed, or a print framed per the config) overrides the config's own size.
    framed, framing, prices = _priced_package(code, config, framing, problems)
    text = str(framed) if framed is not None else None
    preview = _preview(framing) if as_object(body.get("render")) is not None else None
    return Reply(
        {
            "product_code": text,
            "frame": FRAMES[framing.frame_id].as_json(),
            "mats": [MATS[m].as_json() for m in framing.mat_ids],
            "glazing": GLAZING[framing.glazing_id].as_json() if framing.glazing_id is not None else None,
            "price_details": price_row(text, text, 1, prices),
            "render_data": preview,
        }
    )


def _preview(framing: Framing) -> str:
    """Base64 of a small PNG: the frame's colour around the first mat's (or a lighter tint of the frame)."""
    frame_colour = hex_colour(FRAMES[framing.frame_id].color)
    centre = hex_colour(MATS[framing.mat_ids[0]].color) if framing.mat_ids else lighter(frame_colour)
    png = framed_square(PREVIEW_PIXELS, frame_colour, centre, border=PREVIEW_PIXELS // 8)
    return base64.b64encode(png).decode("ascii")


HANDLERS = {
    "list_collections": list_collections,
    "frame_details": frame_details,
    "list_mats": list_mats,
    "list_glazing": list_glazing,
    "frame_builder": frame_builder,
}
