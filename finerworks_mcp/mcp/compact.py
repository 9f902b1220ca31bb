"""The tool list, compacted: every tools/list answer costs context in every conversation the server joins.

Pydantic's JSON Schemas say a lot that tells a model nothing: a `title` on every field and model, `default: null`
on every optional field, `anyOf [X, {"type": "null"}]` for every `X | None`, `additionalProperties: true` (the
JSON Schema default), and a `$defs` entry plus a `$ref` for a model used only once. Both levels of
FINERWORKS_TOOL_SCHEMAS remove exactly that; descriptions, enums, patterns, numeric and list limits, `required`,
defaults and the `$defs` a tool uses more than once always stay.

`full` (for typed clients: code generators, agents that validate answers) lists everything else the SDK would:
the output schema, every length cap, `additionalProperties: false`, all four annotations. Its input schemas may
be narrower than the SDK's validator, never wider.

`compact` (the default) lists what a model acts on, about half the tokens (bench/sizes.py counts them):
- no output schema: every answer still carries `structuredContent` and its JSON text; hosts hand models the text,
  and the schema would cost each conversation more than all the input schemas together;
- no length cap of 50 characters or more (names, addresses, URLs, notes: free text a model does not plan around)
  and no `additionalProperties: false`: the SDK still validates every argument with the complete model, so an
  over-long value or an unknown field is refused with an error naming it, before anything reaches FinerWorks;
- annotations without the hints the MCP specification gives by default or calls meaningless: `readOnlyHint`
  always, `destructiveHint` on every tool that is not read-only, `idempotentHint` only when true,
  `openWorldHint` only when false. A client applying the specification's defaults reads the same hints.

Both: an input drops `null` from its unions (our request bodies leave None out, so an omitted field and a null
one mean the same to FinerWorks); an output keeps `null` where it can occur (written `"type": [X, "null"]`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal, cast

from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext

from finerworks_mcp.api.schemas.common import NULL, never_null
from finerworks_mcp.mcp.content import output_schema_of

Schema = dict[str, Any]
ToolSchemas = Literal["compact", "full"]

FREE_TEXT_LENGTH = 50
"""In compact tool lists, a `maxLength` at or above this is left to the validator: free text, not a format."""

# Keywords whose value is one subschema, a list of them, or a name -> subschema map (JSON Schema 2020-12).
_ONE = frozenset(("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"))
_MANY = frozenset(("anyOf", "oneOf", "allOf", "prefixItems"))
_NAMED = frozenset(("properties", "$defs", "definitions", "patternProperties", "dependentSchemas"))
# A branch with any of these cannot simply take "null" into its `type`: they would still reject null.
_NOT_WIDENABLE = ("$ref", "enum", "const", "anyOf", "oneOf", "allOf", "not")
_DEFS = "#/$defs/"


def tool_list_middleware(level: ToolSchemas, tools: Mapping[str, Callable[..., Any]]) -> ServerMiddleware[Any]:
    """Server middleware that compacts the tools of every tools/list answer on its way out; at `full`, it also
    adds each tool's output schema, from the answer model its function in `tools` declares.

    Middleware (public, provisional in mcp 2.x) rather than editing the SDK's registered tools (private): the
    SDK keeps validating arguments with its own, complete model; only what the client reads changes.
    """

    async def compact_tool_list(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        result = await call_next(ctx)
        if ctx.method == "tools/list" and isinstance(result, dict) and isinstance(listed := result.get("tools"), list):
            result["tools"] = [_listed(tool) if isinstance(tool, dict) else tool for tool in listed]  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
        return result

    def _listed(tool: dict[str, Any]) -> dict[str, Any]:
        fn = tools.get(tool.get("name", ""))
        if level == "full" and fn is not None:
            tool = {**tool, "outputSchema": output_schema_of(fn)}
        return compact_tool(tool, level)

    return compact_tool_list


def compact_tool(tool: dict[str, Any], level: ToolSchemas) -> dict[str, Any]:
    """One tool of a tools/list answer (wire form), compacted to `level`."""
    out = dict(tool)
    if isinstance(schema := tool.get("inputSchema"), dict):
        out["inputSchema"] = compact_schema(schema, output=False, lean=level == "compact")  # pyright: ignore[reportUnknownArgumentType]
    if level == "compact":
        out.pop("outputSchema", None)
        if isinstance(hints := tool.get("annotations"), dict):
            out["annotations"] = _telling_hints(hints)  # pyright: ignore[reportUnknownArgumentType]
    elif isinstance(schema := tool.get("outputSchema"), dict):
        out["outputSchema"] = compact_schema(schema, output=True)  # pyright: ignore[reportUnknownArgumentType]
    return out


def compact_schema(schema: Schema, *, output: bool, lean: bool = False) -> Schema:
    """A copy of `schema` without auto-titles, null defaults, open-object noise and single-use `$defs`. An input
    schema also loses the null branch of every union; an output schema loses every default (answers have none).
    `lean` also leaves free-text length caps and closed-object markers to the validator."""
    return _strip(_inline_single_use(schema), output=output, lean=lean)


def _strip(schema: Schema, *, output: bool, lean: bool) -> Schema:
    schema = _nullable_as_type(schema) if output else never_null(schema)
    kept: Schema = {}
    for key, value in schema.items():
        if key == "title" or (key == "default" and (output or value is None)):
            continue
        if key == "additionalProperties" and (value is True or (lean and value is False)):
            continue
        if lean and key == "maxLength" and isinstance(value, int) and value >= FREE_TEXT_LENGTH:
            continue  # free text: left to the validator
        kept[key] = value
    return _rebuild(kept, lambda sub: _strip(sub, output=output, lean=lean))


# The MCP specification's default for each hint; destructive and idempotent mean nothing on a read-only tool.
_HINT_DEFAULTS = {"idempotentHint": False, "openWorldHint": True}
_WRITE_ONLY_HINTS = ("destructiveHint", "idempotentHint")


def _telling_hints(hints: dict[str, Any]) -> dict[str, Any]:
    """Annotations without the hints a client applying the specification's defaults would read anyway; whether a
    tool is read-only, and whether it is destructive when it is not, always stay explicit."""
    read_only = hints.get("readOnlyHint") is True
    return {
        key: value
        for key, value in hints.items()
        if not (read_only and key in _WRITE_ONLY_HINTS) and not (key in _HINT_DEFAULTS and _HINT_DEFAULTS[key] == value)
    }


def _nullable_as_type(schema: Schema) -> Schema:
    """`anyOf [{"type": X, ...}, {"type": "null"}]` as `{"type": [X, "null"], ...}`: the same values, fewer tokens."""
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or NULL not in branches:
        return schema
    others = [branch for branch in cast(list[Any], branches) if branch != NULL]
    if len(others) != 1 or not isinstance(others[0], dict):
        return schema
    other = cast(Schema, others[0])
    if not isinstance(other.get("type"), str) or any(keyword in other for keyword in _NOT_WIDENABLE):
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**other, "type": [other["type"], "null"], **rest}


def _inline_single_use(schema: Schema) -> Schema:
    """Put each `$defs` entry referenced exactly once (and not recursive) in place of its `$ref`."""
    defs = schema.get("$defs")
    if not isinstance(defs, dict) or not defs:
        return schema
    defs_: dict[str, Schema] = defs  # pyright: ignore[reportUnknownVariableType]
    uses = Counter(_refs(schema))
    inline = {name for name in defs_ if uses[name] <= 1 and not _recursive(name, defs_)}

    def expand(node: Schema) -> Schema:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.removeprefix(_DEFS) in inline:
            # The field's own keywords (its description) win over the model's.
            node = {**defs_[ref.removeprefix(_DEFS)], **{k: v for k, v in node.items() if k != "$ref"}}
        return _rebuild(node, expand)

    out = expand({key: value for key, value in schema.items() if key != "$defs"})
    shared = {name: expand(sub) for name, sub in defs_.items() if name not in inline}
    return {**out, "$defs": shared} if shared else out


def _refs(schema: Schema) -> Iterator[str]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_DEFS):
        yield ref.removeprefix(_DEFS)
    for sub in _subschemas(schema):
        yield from _refs(sub)


def _recursive(name: str, defs: dict[str, Schema]) -> bool:
    seen: set[str] = set()
    todo = list(_refs(defs[name]))
    while todo:
        current = todo.pop()
        if current == name:
            return True
        if current not in seen and current in defs:
            seen.add(current)
            todo.extend(_refs(defs[current]))
    return False


def _subschemas(schema: Schema) -> Iterator[Schema]:
    for key, value in schema.items():
        if key in _ONE and isinstance(value, dict):
            yield value  # pyright: ignore[reportReturnType]
        elif key in _MANY and isinstance(value, list):
            yield from (item for item in value if isinstance(item, dict))  # pyright: ignore[reportUnknownVariableType]
        elif key in _NAMED and isinstance(value, dict):
            yield from (sub for sub in value.values() if isinstance(sub, dict))  # pyright: ignore[reportUnknownVariableType, reportUnknownMemberType]


def _rebuild(schema: Schema, fn: Callable[[Schema], Schema]) -> Schema:
    """A copy of `schema` with `fn` applied to each direct subschema; values (enums, defaults) are left alone."""
    out: Schema = {}
    for key, value in schema.items():
        if key in _ONE and isinstance(value, dict):
            out[key] = fn(value)  # pyright: ignore[reportUnknownArgumentType]
        elif key in _MANY and isinstance(value, list):
            out[key] = [fn(item) if isinstance(item, dict) else item for item in value]  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
        elif key in _NAMED and isinstance(value, dict):
            out[key] = {name: fn(sub) if isinstance(sub, dict) else sub for name, sub in value.items()}  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
        else:
            out[key] = value
    return out
