"""US states: their names (to turn "Texas" into TX) and the first three digits of their ZIP codes (to notice a ZIP
that belongs to another state before it silently changes the sales tax).

ZIP prefixes follow USPS's three-digit ZIP areas; a few areas straddle a border, so a prefix may belong to two
states and a mismatch is worth a warning, never a refusal.
"""

from __future__ import annotations

_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "PR": "Puerto Rico",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming",
}  # fmt: skip

# Inclusive ranges of three-digit ZIP prefixes per state.
_ZIP_AREAS: dict[str, tuple[tuple[int, int], ...]] = {
    "AL": ((350, 369),), "AK": ((995, 999),), "AZ": ((850, 865),), "AR": ((716, 729),), "CA": ((900, 961),),
    "CO": ((800, 816),), "CT": ((60, 69),), "DE": ((197, 199),), "DC": ((200, 200), (202, 205), (569, 569)),
    "FL": ((320, 349),), "GA": ((300, 319), (398, 399)), "HI": ((967, 968),), "ID": ((832, 838),),
    "IL": ((600, 629),), "IN": ((460, 479),), "IA": ((500, 528),), "KS": ((660, 679),), "KY": ((400, 427),),
    "LA": ((700, 714),), "ME": ((39, 49),), "MD": ((206, 219),), "MA": ((10, 27), (55, 55)), "MI": ((480, 499),),
    "MN": ((550, 567),), "MS": ((386, 397),), "MO": ((630, 658),), "MT": ((590, 599),), "NE": ((680, 693),),
    "NV": ((889, 898),), "NH": ((30, 38),), "NJ": ((70, 89),), "NM": ((870, 884),),
    "NY": ((5, 5), (63, 63), (100, 149)), "NC": ((270, 289),), "ND": ((580, 588),), "OH": ((430, 459),),
    "OK": ((730, 731), (734, 749)), "OR": ((970, 979),), "PA": ((150, 196),), "PR": ((6, 7), (9, 9)),
    "RI": ((28, 29),), "SC": ((290, 299),), "SD": ((570, 577),), "TN": ((370, 385),),
    "TX": ((733, 733), (750, 799), (885, 885)), "UT": ((840, 847),), "VT": ((50, 59),),
    "VA": ((201, 201), (220, 246)), "WA": ((980, 994),), "WV": ((247, 268),), "WI": ((530, 549),),
    "WY": ((820, 831),),
}  # fmt: skip

_CODES_BY_NAME = {name.lower(): code for code, name in _NAMES.items()}


def state_code_for(name: str) -> str | None:
    """The two-letter code of a US state written out ("Texas", "new york"), else None."""
    return _CODES_BY_NAME.get(" ".join(name.split()).lower())


def state_name(code: str) -> str | None:
    return _NAMES.get(code.upper())


def zip_states(zip_code: str) -> list[str]:
    """The states whose ZIP areas include this ZIP code; empty when it is not a US ZIP or not in the table."""
    digits = zip_code.strip()[:3]
    if len(digits) < 3 or not digits.isdigit():
        return []
    prefix = int(digits)
    return [state for state, areas in _ZIP_AREAS.items() if any(low <= prefix <= high for low, high in areas)]


def zip_outside_state(state_code: str, zip_code: str) -> list[str] | None:
    """When the ZIP belongs to other states than `state_code`: those states; else None (it fits, or is unknown)."""
    states = zip_states(zip_code)
    if not states or state_code.upper() not in _ZIP_AREAS or state_code.upper() in states:
        return None
    return states
