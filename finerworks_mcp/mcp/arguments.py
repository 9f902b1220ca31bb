"""Invalid tool arguments, explained: "field: what is wrong; what is accepted. Next: ...".

The SDK validates a call's arguments against the tool's arguments model before the tool runs, and its message is
pydantic's own: an internal model name (`quote_pricesArguments`), the rejected input, a link to pydantic's site.
`invalid_arguments` rewrites that error once for every tool, from the error's parts and the tool's input schema:
the field path, pydantic's short reason, what the schema accepts there, and a hint where a mistake is common.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from finerworks_mcp.api.us_states import state_code_for

Schema = Mapping[str, Any]

_FIELD = re.compile(r"^[a-z_][a-z0-9_]*$")
_CLASS_NAME = re.compile(r" or instance of \w+")
_COUNTRY_NAMES = {
    "usa": "us", "united states": "us", "united states of america": "us", "america": "us",
    "canada": "ca", "can": "ca", "united kingdom": "gb", "uk": "gb", "great britain": "gb", "england": "gb",
    "australia": "au", "aus": "au", "germany": "de", "deu": "de", "france": "fr", "fra": "fr", "mexico": "mx",
}  # fmt: skip
_NOT_AN_OBJECT = frozenset(("model_type", "model_attributes_type", "dict_type", "dataclass_type", "is_instance_of"))
"""Error types whose pydantic message names our model class ("instance of ImageLibrary")."""
_LISTED_FIELDS = 8
"""An object's accepted fields are named up to this many; beyond, the tool list has them."""


def invalid_arguments(tool: str, error: ValidationError, schema: Schema) -> str:
    """The message the model reads when `tool`'s arguments fail validation against `schema` (its input schema)."""
    problems: dict[str, list[str]] = {}
    for detail in error.errors(include_url=False):
        path = _path(detail["loc"])
        reasons = problems.setdefault(path, [])
        reason = _reason(detail, path, schema)
        if reason not in reasons:
            reasons.append(reason)
    lines = [f"- {path or 'arguments'}: {'; or '.join(reasons)}" for path, reasons in problems.items()]
    return (
        # The SDK's prefix, as on every other tool error: clients and tests recognise a tool's refusal by it.
        f"Error executing tool {tool}: {len(problems)} argument(s) not valid; nothing was sent.\n"
        + "\n".join(lines)
        + f"\nNext: correct {'this' if len(problems) == 1 else 'these'} and call {tool} again."
    )


def _path(loc: Sequence[int | str]) -> str:
    """`items[0].quantity`: field names and list positions only, without pydantic's union and validator labels."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _FIELD.match(part):
            out += f".{part}" if out else part
    return out


def _reason(detail: ErrorDetails, path: str, schema: Schema) -> str:
    node = _node_at(schema, detail["loc"])
    kind = detail["type"]
    if kind == "missing":
        wrong = "missing; it is required"
    elif kind == "extra_forbidden":
        wrong = "not a field here"
    elif kind in _NOT_AN_OBJECT:
        wrong = "should be an object (JSON, not text or a list)"
    else:
        wrong = _short(detail["msg"])
    hint = _hint(path, detail.get("input"))
    if kind == "extra_forbidden":
        parent = _node_at(schema, detail["loc"][:-1])
        accepted = _fields_of(parent) if parent is not None else ""
    else:
        accepted = _accepted(node, schema) if node is not None else ""
    said = wrong + (f"; accepted: {accepted}" if accepted else "")
    return said + (f". {hint}" if hint else "")


def _short(message: str) -> str:
    """pydantic's reason without its own prefixes ("Value error, ..."), class names or a trailing full stop."""
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    message = _CLASS_NAME.sub("", message)
    message = message.rstrip(".")
    return message[:1].lower() + message[1:]


def _hint(path: str, given: object) -> str:
    field = path.rsplit(".", 1)[-1].split("[", 1)[0]
    text = given.strip() if isinstance(given, str) else ""
    if field == "order_ids" and text and not text.isdigit():
        return f"'{text}' looks like a PO (the customer's own reference): POs go in order_pos"
    if field == "state_code" and len(text) > 2:
        code = state_code_for(text)
        return f"Use the two-letter code: {code} for {text}" if code else "Use the two-letter state code, e.g. TX"
    if field == "country_code" and len(text) != 2:
        code = _COUNTRY_NAMES.get(" ".join(text.lower().replace(".", "").split()))
        return f"Use the two-letter ISO code: {code} for {text}" if code else "Use the two-letter ISO code, e.g. us"
    return ""


def _resolve(node: Schema, root: Schema) -> Schema:
    """The node itself: `$ref` followed, the null branch of an optional field dropped."""
    for _ in range(8):  # a few levels of $ref/anyOf; schemas never nest deeper than this
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = cast(Schema, root.get("$defs", {})).get(ref.rsplit("/", 1)[-1], {})
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            continue
        branches = [b for b in node.get("anyOf", []) if b != {"type": "null"}]
        if len(branches) == 1:
            node = {**branches[0], **{k: v for k, v in node.items() if k != "anyOf"}}
            continue
        return node
    return node


def _node_at(schema: Schema, loc: Sequence[int | str]) -> Schema | None:
    node = _resolve(schema, schema)
    for part in loc:
        if isinstance(part, int):
            items = node.get("items")
            if not isinstance(items, dict):
                return None
            node = _resolve(cast(Schema, items), schema)
        elif isinstance(props := node.get("properties"), dict) and part in props:
            node = _resolve(cast(Schema, props[part]), schema)
        elif not _FIELD.match(part):
            continue  # a union or validator label: the value is still the same field
        else:
            return None
    return node


def _accepted(node: Schema, root: Schema) -> str:
    """What a schema node accepts, in words."""
    described = node.get("description")
    shape = _shape(node, root)
    if described and shape:
        return f"{shape} ({str(described).rstrip('.')})"
    return shape or str(described or "").rstrip(".")


def _shape(node: Schema, root: Schema) -> str:
    if "enum" in node:
        return "one of " + ", ".join(str(value) for value in node["enum"])
    if "const" in node:
        return f"exactly {node['const']}"
    kind = node.get("type")
    if kind in ("integer", "number"):
        noun = "a whole number" if kind == "integer" else "a number"
        low, high = node.get("minimum", node.get("exclusiveMinimum")), node.get("maximum")
        if low is not None and high is not None:
            return f"{noun} from {low} to {high}"
        return noun + (f" of at least {low}" if low is not None else f" up to {high}" if high is not None else "")
    if kind == "string":
        return _text(node)
    if kind == "boolean":
        return "true or false"
    if kind == "array":
        items = node.get("items")
        of = _shape(_resolve(cast(Schema, items), root), root) if isinstance(items, dict) else ""
        low, high = node.get("minItems"), node.get("maxItems")
        size = f"{low}-{high} " if low and high else f"up to {high} " if high else f"at least {low} " if low else ""
        return f"a list of {size}item(s)" + (f", each {of}" if of else "")
    if kind == "object" or "properties" in node:
        return "an object: " + _fields_of(node)
    if isinstance(branches := node.get("anyOf"), list):
        shapes = [
            _shape(_resolve(cast(Schema, b), root), root) for b in cast(list[Any], branches) if b != {"type": "null"}
        ]
        return " or ".join(shape for shape in shapes if shape)
    return ""


def _text(node: Schema) -> str:
    if node.get("format") == "date":
        return "a date, YYYY-MM-DD"
    low, high = node.get("minLength"), node.get("maxLength")
    if low is not None and low == high:
        size = f" of exactly {low} characters"
    elif high is not None:
        size = f" of {low or 0}-{high} characters" if low else f" of up to {high} characters"
    else:
        size = ""
    pattern = node.get("pattern")
    return "text" + size + (f" matching {pattern}" if pattern else "")


def _fields_of(node: Schema) -> str:
    props = list(cast(Mapping[str, Any], node.get("properties", {})))
    required = [name for name in cast(list[str], node.get("required", [])) if name in props]
    optional = [name for name in props if name not in required]
    named = (required + optional)[:_LISTED_FIELDS]
    more = len(props) - len(named)
    parts: list[str] = []
    if required:
        parts.append("required " + ", ".join(name for name in required if name in named))
    if shown := [name for name in optional if name in named]:
        parts.append("optional " + ", ".join(shown) + (f" and {more} more" if more else ""))
    return "; ".join(parts) if parts else "no fields"
