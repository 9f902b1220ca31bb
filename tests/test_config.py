"""Start-up configuration: what a person sets, and what they are told when it is wrong."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mcp import Client

from finerworks_mcp.config import load_settings
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.offline import upstream
from finerworks_mcp.settings import ConfigError, Environment
from tests.support import AUDIT_DIR, call_ok

WEB_KEY = "11111111-2222-3333-4444-webapikey000"
APP_KEY = "99999999-8888-7777-6666-appkey000000"
KEYS = {"FINERWORKS_WEB_API_KEY": WEB_KEY, "FINERWORKS_APP_KEY": APP_KEY}


def test_sandbox_is_the_default_and_points_at_the_test_host() -> None:
    settings = load_settings(KEYS)
    assert settings.env is Environment.SANDBOX
    assert settings.api_base == "https://test-api.finerworks.com/v3"


def test_production_points_at_the_v2_host_every_live_integration_uses() -> None:
    assert load_settings({**KEYS, "FINERWORKS_ENV": "production"}).api_base == "https://v2.api.finerworks.com/v3"
    other = {**KEYS, "FINERWORKS_ENV": "production", "FINERWORKS_BASE_URL": "https://api.finerworks.com/v3"}
    assert load_settings(other).api_base == "https://api.finerworks.com/v3"


def test_simulator_needs_no_keys() -> None:
    assert load_settings({"FINERWORKS_ENV": "simulator"}).env is Environment.SIMULATOR


@pytest.mark.parametrize("env", ["sandbox", "production"])
def test_missing_keys_refuse_to_start_and_say_how_to_fix_it(env: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"FINERWORKS_ENV": env, "FINERWORKS_WEB_API_KEY": WEB_KEY})
    message = str(caught.value)
    assert "FINERWORKS_APP_KEY must be set" in message
    assert "FINERWORKS_ENV=simulator" in message
    assert WEB_KEY not in message


def test_every_problem_is_reported_at_once_and_named_by_its_variable() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({**KEYS, "FINERWORKS_ENV": "staging", "FINERWORKS_TIMEOUT": "0", "FINERWORKS_TOOLSETS": "x"})
    message = str(caught.value)
    assert "FINERWORKS_ENV=staging:" in message
    assert "FINERWORKS_TIMEOUT=0:" in message
    assert "FINERWORKS_TOOLSETS=x: unknown toolset(s) x; choose from " in message
    assert "catalog, framing, orders" in message


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://v2.api.finerworks.com/v3", True),
        ("http://127.0.0.1:8088/v3", True),
        ("http://localhost:8088/v3/", True),
        ("http://[::1]:8088/v3", True),
        ("http://api.finerworks.com/v3", False),
        ("ftp://api.finerworks.com/v3", False),
        ("api.finerworks.com/v3", False),
    ],
)
def test_base_url_must_be_https_except_on_loopback(url: str, accepted: bool) -> None:
    env = {**KEYS, "FINERWORKS_BASE_URL": url}
    if accepted:
        assert load_settings(env).api_base == url.rstrip("/")
    else:
        with pytest.raises(ConfigError, match="FINERWORKS_BASE_URL"):
            load_settings(env)


def test_toolsets_are_a_comma_list_with_spaces_and_case_forgiven() -> None:
    assert load_settings({**KEYS, "FINERWORKS_TOOLSETS": " Catalog , orders"}).toolsets == ("catalog", "orders")


def test_empty_variables_count_as_unset() -> None:
    settings = load_settings({**KEYS, "FINERWORKS_ACCOUNT_KEY": "", "FINERWORKS_TOOLSETS": " "})
    assert settings.account_key is None
    assert settings.toolsets is None


def test_keys_never_show_in_repr_or_the_masked_view() -> None:
    settings = load_settings({**KEYS, "FINERWORKS_ACCOUNT_KEY": "acct-42"})
    shown = repr(settings) + str(settings) + str(settings.masked())
    assert WEB_KEY not in shown
    assert APP_KEY not in shown
    assert settings.masked()["FINERWORKS_WEB_API_KEY"] == f"set ({len(WEB_KEY)} characters)"
    assert settings.masked()["FINERWORKS_ACCOUNT_KEY"] == "acct-42"


def test_a_misspelt_setting_stops_the_server_naming_the_closest_one() -> None:
    # FINERWORKS_READONLY=true used to start a server that can write.
    with pytest.raises(ConfigError) as caught:
        load_settings({**KEYS, "FINERWORKS_READONLY": "true", "finerworks_toolset": "catalog"})
    message = str(caught.value)
    assert "FINERWORKS_READONLY is not a setting: did you mean FINERWORKS_READ_ONLY?" in message
    assert "FINERWORKS_TOOLSET is not a setting: did you mean FINERWORKS_TOOLSETS?" in message


def test_a_bad_value_is_echoed_but_never_a_secret() -> None:
    token = "short-secret-token"
    with pytest.raises(ConfigError) as caught:
        load_settings(
            {**KEYS, "FINERWORKS_ENV": "staging", "FINERWORKS_TIMEOUT": "soon", "FINERWORKS_MCP_TOKEN": token}
        )
    message = str(caught.value)
    assert "FINERWORKS_ENV=staging: should be 'sandbox', 'production' or 'simulator'" in message
    assert "FINERWORKS_TIMEOUT=soon:" in message
    assert "FINERWORKS_MCP_TOKEN: must be at least 24 characters" in message
    assert token not in message


def test_settings_come_from_an_env_file_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"FINERWORKS_WEB_API_KEY={WEB_KEY}\nFINERWORKS_APP_KEY={APP_KEY}\nFINERWORKS_TIMEOUT=12\n"
        "FINERWORKS_READ_ONLY=true\n# a comment\nOTHER_TOOL_SETTING=1\n",
        encoding="utf-8",
    )
    settings = load_settings({"FINERWORKS_TIMEOUT": "7"}, env_file=env_file)
    assert settings.web_api_key is not None
    assert settings.web_api_key.get_secret_value() == WEB_KEY
    assert settings.read_only is True
    assert settings.timeout == 7


def test_an_env_file_is_checked_like_the_environment(tmp_path: Path) -> None:
    env_file = tmp_path / "finerworks.env"
    env_file.write_text("FINERWORKS_ENV=simulator\nFINERWORKS_READONLY=true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="did you mean FINERWORKS_READ_ONLY"):
        load_settings({}, env_file=env_file)
    with pytest.raises(ConfigError, match="no such file"):
        load_settings({}, env_file=tmp_path / "missing.env")


def test_the_old_concurrency_name_still_works_and_warns_with_the_new_one(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        settings = load_settings({**KEYS, "FINERWORKS_QUOTE_CONCURRENCY": "4"})
    assert settings.workflow_concurrency == 4
    assert "FINERWORKS_QUOTE_CONCURRENCY is renamed FINERWORKS_WORKFLOW_CONCURRENCY" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        both = load_settings({**KEYS, "FINERWORKS_QUOTE_CONCURRENCY": "4", "FINERWORKS_WORKFLOW_CONCURRENCY": "6"})
    assert both.workflow_concurrency == 6
    assert "FINERWORKS_QUOTE_CONCURRENCY is ignored" in caplog.text


@pytest.mark.parametrize("url", ["https://api.finerworks.com/v3", "https://test-api.finerworks.com/v3"])
def test_the_simulator_refuses_a_base_url_off_this_machine(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"FINERWORKS_ENV": "simulator", "FINERWORKS_BASE_URL": url})
    assert f"FINERWORKS_BASE_URL={url} is not on this machine" in str(caught.value)
    assert load_settings({"FINERWORKS_ENV": "simulator", "FINERWORKS_BASE_URL": "http://127.0.0.1:8088/v3"})


@pytest.mark.anyio
async def test_switching_a_sandbox_configuration_to_the_simulator_just_works() -> None:
    # The sandbox keys stay in the client's configuration; the simulator answers only its own, so they are ignored.
    settings = load_settings(
        {**KEYS, "FINERWORKS_ENV": "simulator", "FINERWORKS_AUDIT_LOG": str(AUDIT_DIR / "a.jsonl")}
    )
    assert settings.masked()["FINERWORKS_WEB_API_KEY"] == "(not used by the simulator)"
    async with Client(build_server(settings, **upstream(settings))) as client:
        answer = await call_ok(client, "test_my_credentials")
    assert answer["user_account"]["account_username"]
