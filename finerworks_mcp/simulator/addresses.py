"""Address rules shared by recipients, customers and account addresses, and the checks of
validate_recipient_address (which refuses an undeliverable address instead of rejecting the request).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .rules import ADDRESS
from .validation import Problems, Rule, path

_STATES_TEXT = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP AA AE AP"
)
US_STATES = frozenset(_STATES_TEXT.split())
"""States, DC, territories and military addresses."""
_US_ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")
_CA_POSTAL = re.compile(r"^[A-Z]\d[A-Z] ?\d[A-Z]\d$")
BLANK_STATE_OUTSIDE_US = "Must be left blank when country_code does not equal 'us'"


def country_of(address: Mapping[str, Any]) -> str:
    return str(address.get("country_code") or "").strip().lower()


def check_address(
    problems: Problems, address: Mapping[str, Any], where: str, rules: tuple[Rule, ...] = ADDRESS
) -> None:
    """Field limits, plus the rule FinerWorks enforces across fields: state_code is for US addresses only."""
    problems.check(address, rules, where)
    country, state = country_of(address), address.get("state_code")
    if country and country != "us" and state not in (None, ""):
        problems.add(path(where, "state_code"), BLANK_STATE_OUTSIDE_US)
    required = any(rule.required for rule in rules)
    if required and country == "us" and state in (None, ""):
        problems.add(path(where, "state_code"), "The state_code field is required when country_code is 'us'.")


def normalized(address: Mapping[str, Any]) -> dict[str, Any]:
    """Trimmed strings, upper-case state and postal code, lower-case country."""
    clean = {key: value.strip() if isinstance(value, str) else value for key, value in address.items()}
    clean["country_code"] = country_of(address) or None
    if isinstance(clean.get("state_code"), str):
        clean["state_code"] = clean["state_code"].upper() or None
    if isinstance(clean.get("zip_postal_code"), str):
        clean["zip_postal_code"] = clean["zip_postal_code"].upper()
    return clean


def delivery_problems(address: Mapping[str, Any]) -> list[str]:
    """Why a (well-formed) address cannot be delivered to; empty when it can."""
    country, state = country_of(address), str(address.get("state_code") or "").upper()
    postal = str(address.get("zip_postal_code") or "").upper()
    found: list[str] = []
    if len(country) != 2 or not country.isalpha():
        found.append(f"country_code '{country}' is not a two-letter ISO country code")
    if country == "us" and state not in US_STATES:
        found.append(f"state_code '{state}' is not a US state or territory")
    if country == "us" and not _US_ZIP.match(postal):
        found.append(f"zip_postal_code '{postal}' is not a US ZIP code (12345 or 12345-6789)")
    if country == "ca" and not _CA_POSTAL.match(postal):
        found.append(f"zip_postal_code '{postal}' is not a Canadian postal code (A1A 1A1)")
    if country == "ca" and not address.get("province"):
        found.append("province is required for Canadian addresses")
    return found
