"""The two shapes of a FinerWorks answer.

Handled calls answer with a `status` object beside the payload keys (success or business refusal, both HTTP 200).
Requests ASP.NET rejects before any business logic answer HTTP 400 `{"Message", "ModelState"}` (PascalCase), and
routing failures answer `{"Message"}` alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DOMAIN = "simulator.finerworks.local"
INVALID_REQUEST = "The request is invalid."

ModelState = dict[str, list[str]]


@dataclass(slots=True)
class Reply:
    """A handler's successful answer: payload keys, and a note for `status.message` (e.g. unknown codes)."""

    payload: dict[str, Any] = field(default_factory=dict[str, Any])
    message: str = ""


class FailsModelValidation(Exception):
    """The request fails model validation: HTTP 400 with ModelState keyed by model path."""

    def __init__(self, model_state: ModelState) -> None:
        super().__init__(model_state)
        self.model_state = model_state


class Refused(Exception):
    """FinerWorks understood the request and declines it: HTTP 200 with `status.success: false`."""

    def __init__(self, message: str, payload: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.payload = payload or {}


class RefusedFlat(Refused):
    """A refusal some endpoints answer without the status envelope: HTTP 200 `{"success": false, "message"}` at the
    top level (the shape clients read for update_order and submit_note)."""


def status(*, success: bool, message: str, reference_id: str) -> dict[str, Any]:
    return {
        "success": success,
        "status_code": 200,
        "message": message,
        "debug": None,
        "reference_id": reference_id,
        "domain": DOMAIN,
    }


def enveloped(payload: dict[str, Any], *, success: bool, message: str, reference_id: str) -> dict[str, Any]:
    return {"status": status(success=success, message=message, reference_id=reference_id), **payload}


def model_state_body(model_state: ModelState, message: str = INVALID_REQUEST) -> dict[str, Any]:
    return {"Message": message, "ModelState": model_state}


def message_body(message: str) -> dict[str, Any]:
    return {"Message": message}
