"""Reads the FINERWORKS_* environment variables into `Settings`, or says in words a person can act on what is wrong."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from finerworks_mcp.settings import ConfigError, Settings


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Read and validate the settings, or raise `ConfigError` with a message a person can act on.

    `environ` replaces the process environment (tests pass their own); `overrides` win over both. An empty
    variable counts as unset.
    """
    source = os.environ if environ is None else environ
    values: dict[str, Any] = {
        name: source[f"FINERWORKS_{name.upper()}"]
        for name in Settings.model_fields
        if source.get(f"FINERWORKS_{name.upper()}", "").strip()
    }
    try:
        return Settings.model_validate(values | overrides)
    except ValidationError as exc:
        problems: list[str] = []
        for error in exc.errors(include_input=False, include_url=False):
            field = ".".join(str(part) for part in error["loc"])
            name = f"FINERWORKS_{field.upper()}: " if field else ""
            problems.append(f"- {name}{error['msg'].removeprefix('Value error, ')}")
        raise ConfigError("finerworks-mcp cannot start:\n" + "\n".join(problems)) from None
