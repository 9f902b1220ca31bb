"""`finerworks-mcp openapi`: an OpenAPI 3.1 description of the 33 FinerWorks endpoints, from this project's models.

Every endpoint is the tool of the same name (`mcp.tools`), so the description is read off the tools: a tool's
parameters are the request (the JSON body; query parameters for the GET endpoints), and a read tool's answer model
is the response. A write tool answers with a proposal, not FinerWorks' answer, so a write's response is FinerWorks'
status envelope with whatever else it sends. Fields the server fills in itself (`validate_only`, the app key of
`update_app_details`) are not parameters and are not described. The schemas are pydantic's JSON Schema (2020-12,
which OpenAPI 3.1 uses as is); shared shapes live once under components/schemas.

Useful on its own for code generators, and `python -m bench --peer` builds FastMCP's `from_openapi` server from it.
"""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ConfigDict, create_model
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue, models_json_schema
from pydantic_core import core_schema

from finerworks_mcp import __version__
from finerworks_mcp.api.endpoints import ENDPOINTS, Endpoint
from finerworks_mcp.mcp.tools import TOOLSETS
from finerworks_mcp.mcp.tools.base import ToolSpec
from finerworks_mcp.settings import HOSTS, Environment

OPENAPI_VERSION = "3.1.0"
REF_TEMPLATE = "#/components/schemas/{model}"
KEY_HEADERS = ("web_api_key", "app_key")
MAY_BE_NULL: dict[str, Any] = {"type": "null", "description": "May be null."}


class _AnswersMayBeNull(GenerateJsonSchema):
    """Our answer models describe what the server hands on, without nulls (`schemas.common.never_null` takes the
    null branch out); FinerWorks itself does send nulls, and the models accept them. A null branch that carries a
    description is not the bare `{"type": "null"}` that is taken out, so it stays in this document."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        generated = super().nullable_schema(schema)
        branches: list[Any] = generated.get("anyOf", [])
        generated["anyOf"] = [MAY_BE_NULL if branch == {"type": "null"} else branch for branch in branches]
        return generated


class StatusEnvelope(BaseModel):
    """What every FinerWorks answer carries: success, and a message when it is false."""

    model_config = ConfigDict(title="Status")
    success: bool
    message: str | None = None
    debug: str | None = None


class WriteAnswer(BaseModel):
    """A write's answer: the status envelope, and what FinerWorks reports about the change."""

    model_config = ConfigDict(title="WriteAnswer", extra="allow")
    status: StatusEnvelope | None = None


class _Shape(BaseModel):
    """The base of the request models made from a tool's parameters: unknown fields are refused, as by the tools."""

    model_config = ConfigDict(extra="forbid")


def _tools() -> dict[str, ToolSpec]:
    return {spec.name: spec for toolset in TOOLSETS.values() for spec in toolset.specs}


def _request_model(endpoint: str, fn: Callable[..., Any]) -> type[BaseModel]:
    hints = typing.get_type_hints(fn, include_extras=True)
    fields: dict[str, Any] = {}
    for name, parameter in inspect.signature(fn).parameters.items():
        if name == "ctx":  # the MCP request context, not something FinerWorks is sent
            continue
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        fields[name] = (hints[name], default)
    return create_model(_camel(endpoint) + "Request", __base__=_Shape, **fields)


def _answer_model(endpoint: Endpoint, fn: Callable[..., Any]) -> type[BaseModel]:
    if endpoint.writes:
        return WriteAnswer
    answer = typing.get_type_hints(fn, include_extras=True)["return"]
    # A tool that adds links or pictures to its answer declares `Annotated[CallToolResult, AnswerModel]`.
    candidates = [answer, *get_args(answer)[1:]] if get_origin(answer) is typing.Annotated else [answer]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    raise TypeError(f"the {endpoint.name} tool declares no answer model")


def _camel(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document, as a JSON-ready dict."""
    tools = _tools()
    missing = sorted(set(ENDPOINTS) - set(tools))
    if missing:
        raise RuntimeError(f"no tool describes {', '.join(missing)}")
    requests = {name: _request_model(name, tools[name].fn) for name in ENDPOINTS}
    answers = {name: _answer_model(endpoint, tools[name].fn) for name, endpoint in ENDPOINTS.items()}
    mode: JsonSchemaMode = "validation"  # what FinerWorks is sent and what it may answer
    models = [*requests.values(), *dict.fromkeys(answers.values())]
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(model, mode) for model in models]
    refs, components = models_json_schema(wanted, ref_template=REF_TEMPLATE, schema_generator=_AnswersMayBeNull)
    paths: dict[str, Any] = {}
    for name, endpoint in ENDPOINTS.items():
        request_schema = refs[(requests[name], "validation")]
        answer_schema = refs[(answers[name], "validation")]
        operation = _operation(name, endpoint, tools[name], request_schema, answer_schema, requests[name])
        paths[f"/{name}"] = {endpoint.method.lower(): operation}
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "FinerWorks Web API v3 (as finerworks-mcp uses it)",
            "version": __version__,
            "description": (
                "The 33 FinerWorks endpoints finerworks-mcp calls, described from its own request and answer "
                "models. Every call sends the two account keys as headers."
            ),
        },
        "servers": [
            {"url": HOSTS[Environment.PRODUCTION], "description": "production"},
            {"url": HOSTS[Environment.SANDBOX], "description": "sandbox"},
        ],
        "security": [{header: list[str]() for header in KEY_HEADERS}],
        "paths": paths,
        "components": {
            "schemas": components.get("$defs", {}),
            "securitySchemes": {header: {"type": "apiKey", "in": "header", "name": header} for header in KEY_HEADERS},
        },
    }


def _operation(
    name: str,
    endpoint: Endpoint,
    tool: ToolSpec,
    request_schema: dict[str, Any],
    answer_schema: dict[str, Any],
    request: type[BaseModel],
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": name,
        "summary": tool.title,
        "description": inspect.cleandoc(tool.fn.__doc__ or ""),
        "responses": {
            "200": {"description": "FinerWorks' answer.", "content": {"application/json": {"schema": answer_schema}}},
            "400": {"description": "The request was refused; ModelState names the fields at fault."},
        },
    }
    if endpoint.writes:
        operation["description"] += "\n\nChanges state at FinerWorks."
    if endpoint.method == "GET":
        if request.model_fields:
            properties = request.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=_AnswersMayBeNull)[
                "properties"
            ]
            operation["parameters"] = [
                {"name": field, "in": "query", "required": info.is_required(), "schema": properties[field]}
                for field, info in request.model_fields.items()
            ]
    else:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": request_schema}}}
    return operation


def write(path: Path | None) -> int:
    """Write the document to `path`, or to stdout when no path is given."""
    text = json.dumps(document(), indent=2, ensure_ascii=False) + "\n"
    if path is None:
        import sys

        sys.stdout.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return 0
