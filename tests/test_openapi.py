"""`finerworks-mcp openapi`: a valid OpenAPI 3.1 description of the 33 endpoints that matches what the server sends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from finerworks_mcp.api.endpoints import ENDPOINTS, WRITE_ENDPOINTS
from finerworks_mcp.cli import main
from finerworks_mcp.simulator import SimulatorState, SimulatorTransport, seed
from tests.support import call_ok, connect, upstream

pytestmark = pytest.mark.anyio


def written(tmp_path: Path) -> dict[str, Any]:
    target = tmp_path / "finerworks.openapi.json"
    assert main(["openapi", "--output", str(target)]) == 0
    return json.loads(target.read_text(encoding="utf-8"))


def schema_of(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A validator for one schema of the document, its $refs resolved against the document's components."""
    return Draft202012Validator({**schema, "components": document["components"]})


def request_schema(document: dict[str, Any], endpoint: str) -> dict[str, Any]:
    operation = document["paths"][f"/{endpoint}"][ENDPOINTS[endpoint].method.lower()]
    return operation["requestBody"]["content"]["application/json"]["schema"]


def answer_schema(document: dict[str, Any], endpoint: str) -> dict[str, Any]:
    operation = document["paths"][f"/{endpoint}"][ENDPOINTS[endpoint].method.lower()]
    return operation["responses"]["200"]["content"]["application/json"]["schema"]


def test_the_command_writes_a_valid_openapi_3_1_document_of_all_33_endpoints(tmp_path: Path) -> None:
    document = written(tmp_path)
    validate(document)  # raises on anything OpenAPI 3.1 does not allow
    assert document["openapi"].startswith("3.1")
    assert len(document["paths"]) == len(ENDPOINTS) == 33
    for name, endpoint in ENDPOINTS.items():
        operation = document["paths"][f"/{name}"][endpoint.method.lower()]
        assert operation["operationId"] == name
        assert operation["summary"]
        assert operation["description"]
        assert ("requestBody" in operation) == (endpoint.method != "GET"), name
        assert ("Changes state at FinerWorks" in operation["description"]) == (name in WRITE_ENDPOINTS)
    assert set(document["components"]["securitySchemes"]) == {"web_api_key", "app_key"}
    get_user = document["paths"]["/get_user"]["get"]
    assert [parameter["name"] for parameter in get_user["parameters"]] == ["account_key"]


def test_without_a_file_the_document_goes_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi"]) == 0
    assert json.loads(capsys.readouterr().out)["paths"].keys() == {f"/{name}" for name in ENDPOINTS}


async def test_the_bodies_the_server_sends_fit_the_description(tmp_path: Path, sim: SimulatorState, mode: str) -> None:
    document = written(tmp_path)
    product = {"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 2}
    async with connect(sim, mode) as client:
        await call_ok(client, "get_prices", {"products": [product]})
        await call_ok(client, "list_images", {"search_filter": "Harbor", "per_page": 5, "list_products": True})
        await call_ok(client, "fetch_order_status", {"order_pos": [seed.ORDER_POS[0]]})
        await call_ok(client, "list_event_logs", {"type": "error"})
    for endpoint in ("get_prices", "list_images", "fetch_order_status", "list_event_logs"):
        (sent,) = upstream(sim, endpoint)
        errors = [
            error.message for error in schema_of(document, request_schema(document, endpoint)).iter_errors(sent.body)
        ]
        assert errors == [], f"{endpoint}: {errors}"
    # And a body the description refuses is one the tool refuses too: a 51st product is too many.
    too_many = {"products": [product] * 51}
    assert not schema_of(document, request_schema(document, "get_prices")).is_valid(too_many)


async def test_the_answer_to_get_prices_fits_the_description(tmp_path: Path, sim: SimulatorState) -> None:
    document = written(tmp_path)
    async with httpx2.AsyncClient(
        transport=SimulatorTransport(sim),
        base_url="http://simulator.invalid/v3/",
        headers={"web_api_key": seed.SIMULATOR_WEB_API_KEY, "app_key": seed.SIMULATOR_APP_KEY},
    ) as http:
        response = await http.post(
            "get_prices", json={"products": [{"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 1}]}
        )
    answer = response.json()
    errors = [error.message for error in schema_of(document, answer_schema(document, "get_prices")).iter_errors(answer)]
    assert answer["prices"]
    assert errors == []
