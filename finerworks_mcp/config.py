"""Reads the FINERWORKS_* settings (environment, and a `.env` file when given) into `Settings` with pydantic-settings,
or says in words a person can act on what is wrong.

Three mistakes a person makes and never notices are caught here: a misspelt name (FINERWORKS_READONLY=true would
otherwise start a server that can write), an old name, and a value that does not parse (echoed back, unless it is a
secret).
"""

from __future__ import annotations

import difflib
import logging
import os
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import SecretStr, ValidationError
from pydantic_settings import DotEnvSettingsSource, EnvSettingsSource

from finerworks_mcp.settings import ENV_PREFIX, ConfigError, Settings

RENAMED = {"FINERWORKS_QUOTE_CONCURRENCY": "FINERWORKS_WORKFLOW_CONCURRENCY"}
"""Old name -> new name. The old name still works (with a warning) when the new one is not set."""

log = logging.getLogger(__name__)


class _EnvironSource(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping (the process environment, or a test's)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        # A variable holding only spaces counts as unset, as an empty one does.
        self._given = {name: value for name, value in environ.items() if value.strip()}
        super().__init__(Settings)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {name.lower(): value for name, value in self._given.items()}


def setting_names() -> list[str]:
    """Every FINERWORKS_* variable the server reads, in the order of `Settings`."""
    return [f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields]


def load_settings(
    environ: Mapping[str, str] | None = None, *, env_file: str | Path | None = None, **overrides: Any
) -> Settings:
    """Read and validate the settings, or raise `ConfigError` with a message a person can act on.

    `environ` replaces the process environment (tests pass their own); `env_file` is a `.env` file whose values the
    environment overrides; `overrides` win over both. An empty variable counts as unset.
    """
    environment = _EnvironSource(os.environ if environ is None else environ)
    dotenv = _dotenv(env_file)
    given = {name.upper() for name in (*environment.env_vars, *(dotenv.env_vars if dotenv else ()))}
    _refuse_unknown_names(given)
    read = {**(dotenv() if dotenv else {}), **environment()}
    values = {name: value for name, value in read.items() if name in Settings.model_fields}
    values |= _renamed_values(given, {**(dotenv.env_vars if dotenv else {}), **environment.env_vars})
    try:
        return Settings.model_validate(values | overrides)
    except ValidationError as exc:
        raise ConfigError("finerworks-mcp cannot start:\n" + "\n".join(_problems(exc))) from None


def _dotenv(env_file: str | Path | None) -> DotEnvSettingsSource | None:
    if env_file is None:
        return None
    path = Path(env_file).expanduser()
    if not path.is_file():
        raise ConfigError(f"finerworks-mcp cannot start: --env-file {env_file}: no such file")
    return DotEnvSettingsSource(Settings, env_file=path)


def _refuse_unknown_names(given: set[str]) -> None:
    known = [*setting_names(), *RENAMED]
    unknown = sorted(name for name in given if name.startswith(ENV_PREFIX) and name not in known)
    if not unknown:
        return
    lines: list[str] = []
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}?" if close else "the README's Configuration section lists every setting"
        lines.append(f"- {name} is not a setting: {hint}")
    raise ConfigError(
        "finerworks-mcp cannot start (a misspelt setting would be silently ignored):\n" + "\n".join(lines)
    )


def _renamed_values(given: set[str], raw: Mapping[str, str | None]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for old, new in RENAMED.items():
        if old not in given:
            continue
        if new in given:
            log.warning("%s is ignored: %s (its new name) is set too. Remove %s.", old, new, old)
            continue
        log.warning("%s is renamed %s; the old name still works for now. Rename it.", old, new)
        values[new.removeprefix(ENV_PREFIX).lower()] = raw[old.lower()]
    return values


def _problems(exc: ValidationError) -> list[str]:
    problems: list[str] = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"][:1])
        message = error["msg"].removeprefix("Value error, ").replace("Input should be", "should be")
        if not field:
            problems.append(f"- {message}")
            continue
        name = f"{ENV_PREFIX}{field.upper()}"
        shown = _shown_input(field, error.get("input"))
        problems.append(f"- {name}{'=' + shown if shown else ''}: {message}")
    return problems


def _shown_input(field: str, value: Any) -> str | None:
    """The value a person gave, to echo back, or None when it is a secret (or there is nothing to show)."""
    info = Settings.model_fields.get(field)
    if info is None or SecretStr in _types_of(info.annotation) or not isinstance(value, str | int | float):
        return None
    return repr(value) if isinstance(value, str) and (not value or value != value.strip()) else str(value)


def _types_of(annotation: Any) -> tuple[Any, ...]:
    """The annotation and every type nested in it: a SecretStr inside a tuple (named tokens) is a secret too."""
    nested = getattr(annotation, "__args__", ())
    return (annotation, *(inner for arg in nested for inner in _types_of(arg)))


def environment_help() -> str:
    """The `--help` epilog: every variable with its default, and what the default environment means."""
    default_env = Settings.model_fields["env"].default
    rows: list[str] = []
    for name, info in Settings.model_fields.items():
        default = info.default
        shown = "(not set)" if default is None else str(getattr(default, "value", default)).lower()
        rows.append(f"  {ENV_PREFIX}{name.upper():<24} default: {shown}")
    intro = (
        f"Settings are FINERWORKS_* environment variables (or a .env file: --env-file). The default environment is "
        f"{default_env.value}: FinerWorks' test host, which needs FINERWORKS_WEB_API_KEY and FINERWORKS_APP_KEY. "
        "FINERWORKS_ENV=simulator needs no keys and reaches nothing real. An unknown FINERWORKS_* name stops the "
        "server. The README's Configuration section says what each one means."
    )
    return "\n".join([textwrap.fill(intro, width=100), "", *rows])
