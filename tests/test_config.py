"""Start-up configuration: what a person sets, and what they are told when it is wrong."""

from __future__ import annotations

import pytest

from finerworks_mcp.config import load_settings
from finerworks_mcp.settings import ConfigError, Environment

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
    assert "FINERWORKS_ENV:" in message
    assert "FINERWORKS_TIMEOUT:" in message
    assert "FINERWORKS_TOOLSETS: unknown toolset(s) x; choose from " in message
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
