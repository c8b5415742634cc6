"""Time zone names as people use them, read from the zone database bundled with pytz.

Three kinds of valid names matter to the rules:

- country-table zones: every name in ``zone.tab`` or ``zone1970.tab`` (the
  database's table of zones by country). These are the right names for a place,
  even when the database keeps them as links because their clocks have matched
  another zone's since 1970 (``Europe/Oslo`` -> ``Europe/Berlin`` since 2022b).
- fixed offsets: ``EST``, ``MST``, ``HST``, ``UTC``/``GMT`` and their aliases, and
  every ``Etc/...`` zone. They never observe daylight saving.
- legacy names: every other name (``US/Eastern``, ``Asia/Calcutta``, ``EST5EDT``),
  kept only for backward compatibility; each maps to the country-table zone of
  the same place.

pytz's bundled copy is used rather than the system's tzdata so that the answer
does not depend on the machine (and it is the same database CC309 judges with).
"""

from __future__ import annotations

import functools
import re

#: fixed-offset names outside Etc/ (the POSIX zones tzdata 2024b made links, and UTC aliases)
FIXED_OFFSET_NAMES = frozenset({"EST", "MST", "HST", "UTC", "GMT", "UCT", "Universal", "Zulu",
                                "Greenwich", "GMT0", "GMT+0", "GMT-0"})
#: POSIX rule zones with daylight saving: the place people mean
POSIX_ZONES = {"EST5EDT": "America/New_York", "CST6CDT": "America/Chicago",
               "MST7MDT": "America/Denver", "PST8PDT": "America/Los_Angeles"}
#: names of a set of European rules rather than of a place
EUROPEAN_RULE_ZONES = {"CET": "Europe/Paris or Europe/Berlin", "MET": "Europe/Paris or Europe/Berlin",
                       "EET": "Europe/Athens or Europe/Helsinki", "WET": "Europe/Lisbon"}
#: legacy links whose target lies in another country: the backward file's comment names
#: the place, and the country table has a zone for it
SAME_PLACE = {"Atlantic/Jan_Mayen": "Arctic/Longyearbyen", "Iceland": "Atlantic/Reykjavik",
              "Africa/Timbuktu": "Africa/Bamako", "America/Coral_Harbour": "America/Atikokan",
              "Pacific/Ponape": "Pacific/Pohnpei", "Pacific/Truk": "Pacific/Chuuk",
              "Pacific/Yap": "Pacific/Chuuk", "Antarctica/South_Pole": "Antarctica/McMurdo",
              "America/Virgin": "America/St_Thomas"}
#: what people write instead of a zone name: abbreviations, and cities that are not
#: a zone's own city. Values are country-table zones (a test keeps them so).
COMMON_NAMES = {
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "PACIFIC": "America/Los_Angeles", "PACIFIC TIME": "America/Los_Angeles",
    "MDT": "America/Denver", "MT": "America/Denver", "MOUNTAIN": "America/Denver",
    "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago",
    "CENTRAL": "America/Chicago", "CENTRAL TIME": "America/Chicago",
    "EDT": "America/New_York", "ET": "America/New_York", "EASTERN": "America/New_York",
    "EASTERN TIME": "America/New_York", "AKST": "America/Anchorage", "AKDT": "America/Anchorage",
    "HAST": "Pacific/Honolulu", "AST": "America/Halifax", "ADT": "America/Halifax",
    "NST": "America/St_Johns", "NDT": "America/St_Johns",
    "IST": "Asia/Kolkata", "BST": "Europe/London", "CEST": "Europe/Paris",
    "EEST": "Europe/Athens", "WEST": "Europe/Lisbon", "MSK": "Europe/Moscow",
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "SGT": "Asia/Singapore", "HKT": "Asia/Hong_Kong",
    "PHT": "Asia/Manila", "WIB": "Asia/Jakarta", "ICT": "Asia/Bangkok", "PKT": "Asia/Karachi",
    "GST": "Asia/Dubai", "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
    "ACST": "Australia/Adelaide", "ACDT": "Australia/Adelaide", "AWST": "Australia/Perth",
    "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland", "SAST": "Africa/Johannesburg",
    "EAT": "Africa/Nairobi", "WAT": "Africa/Lagos", "CAT": "Africa/Maputo",
    "BRT": "America/Sao_Paulo", "ART": "America/Argentina/Buenos_Aires",
    "MUMBAI": "Asia/Kolkata", "BOMBAY": "Asia/Kolkata", "DELHI": "Asia/Kolkata",
    "NEW DELHI": "Asia/Kolkata", "BANGALORE": "Asia/Kolkata", "BENGALURU": "Asia/Kolkata",
    "CHENNAI": "Asia/Kolkata", "HYDERABAD": "Asia/Kolkata", "BEIJING": "Asia/Shanghai",
    "SAN FRANCISCO": "America/Los_Angeles", "SEATTLE": "America/Los_Angeles",
    "WASHINGTON": "America/New_York", "BOSTON": "America/New_York", "MIAMI": "America/New_York",
    "ATLANTA": "America/New_York", "DALLAS": "America/Chicago", "HOUSTON": "America/Chicago",
    "FRANKFURT": "Europe/Berlin", "MUNICH": "Europe/Berlin", "BARCELONA": "Europe/Madrid",
    "MILAN": "Europe/Rome", "OSAKA": "Asia/Tokyo", "SYDNEY": "Australia/Sydney",
    "INDIA": "Asia/Kolkata", "JAPAN": "Asia/Tokyo", "UK": "Europe/London",
    # Windows zone ids, as .NET and Windows tools write them
    "EASTERN STANDARD TIME": "America/New_York", "CENTRAL STANDARD TIME": "America/Chicago",
    "MOUNTAIN STANDARD TIME": "America/Denver", "US MOUNTAIN STANDARD TIME": "America/Phoenix",
    "PACIFIC STANDARD TIME": "America/Los_Angeles", "ALASKAN STANDARD TIME": "America/Anchorage",
    "HAWAIIAN STANDARD TIME": "Pacific/Honolulu", "ATLANTIC STANDARD TIME": "America/Halifax",
    "GMT STANDARD TIME": "Europe/London", "W. EUROPE STANDARD TIME": "Europe/Berlin",
    "ROMANCE STANDARD TIME": "Europe/Paris", "INDIA STANDARD TIME": "Asia/Kolkata",
    "TOKYO STANDARD TIME": "Asia/Tokyo", "AUS EASTERN STANDARD TIME": "Australia/Sydney",
    # more Windows ids, with the zone CLDR's windowsZones.xml gives for territory 001; where
    # CLDR writes a legacy name (Europe/Kiev, America/Indianapolis, America/Buenos_Aires,
    # Asia/Katmandu) the country-table name of the same place
    "CHINA STANDARD TIME": "Asia/Shanghai", "KOREA STANDARD TIME": "Asia/Seoul",
    "SINGAPORE STANDARD TIME": "Asia/Singapore", "TAIPEI STANDARD TIME": "Asia/Taipei",
    "E. AUSTRALIA STANDARD TIME": "Australia/Brisbane", "AUS CENTRAL STANDARD TIME": "Australia/Darwin",
    "CEN. AUSTRALIA STANDARD TIME": "Australia/Adelaide",
    "W. AUSTRALIA STANDARD TIME": "Australia/Perth", "NEW ZEALAND STANDARD TIME": "Pacific/Auckland",
    "RUSSIAN STANDARD TIME": "Europe/Moscow", "ARABIAN STANDARD TIME": "Asia/Dubai",
    "ARAB STANDARD TIME": "Asia/Riyadh", "ISRAEL STANDARD TIME": "Asia/Jerusalem",
    "TURKEY STANDARD TIME": "Europe/Istanbul", "EGYPT STANDARD TIME": "Africa/Cairo",
    "SOUTH AFRICA STANDARD TIME": "Africa/Johannesburg", "PAKISTAN STANDARD TIME": "Asia/Karachi",
    "FLE STANDARD TIME": "Europe/Kyiv", "GTB STANDARD TIME": "Europe/Bucharest",
    "CENTRAL EUROPE STANDARD TIME": "Europe/Budapest",
    "CENTRAL EUROPEAN STANDARD TIME": "Europe/Warsaw", "E. EUROPE STANDARD TIME": "Europe/Chisinau",
    "US EASTERN STANDARD TIME": "America/Indiana/Indianapolis",
    "NEWFOUNDLAND STANDARD TIME": "America/St_Johns", "CANADA CENTRAL STANDARD TIME": "America/Regina",
    "SA PACIFIC STANDARD TIME": "America/Bogota",
    "ARGENTINA STANDARD TIME": "America/Argentina/Buenos_Aires",
    "E. SOUTH AMERICA STANDARD TIME": "America/Sao_Paulo",
    "CENTRAL AMERICA STANDARD TIME": "America/Guatemala",
    "CENTRAL STANDARD TIME (MEXICO)": "America/Mexico_City", "SE ASIA STANDARD TIME": "Asia/Bangkok",
    "NEPAL STANDARD TIME": "Asia/Kathmandu", "SRI LANKA STANDARD TIME": "Asia/Colombo",
    "IRAN STANDARD TIME": "Asia/Tehran", "BANGLADESH STANDARD TIME": "Asia/Dhaka",
    "MOROCCO STANDARD TIME": "Africa/Casablanca", "W. CENTRAL AFRICA STANDARD TIME": "Africa/Lagos",
    "GREENWICH STANDARD TIME": "Atlantic/Reykjavik",
}
#: for a fixed offset, the zone people usually mean
MEANT_BY_FIXED = {"EST": "America/New_York", "MST": "America/Denver or America/Phoenix",
                  "HST": "Pacific/Honolulu", "GMT": "Europe/London"}
_FIXED_OFFSETS = {"EST": "-05:00", "MST": "-07:00", "HST": "-10:00", "GMT": "+00:00"}
_OFFSET = re.compile(r"(?:Etc/)?(?:GMT|UTC)([+-])(\d{1,2})")
#: zones for whole-hour standard offsets that a fixed offset is most often meant to be
BY_OFFSET = {-10: "Pacific/Honolulu", -9: "America/Anchorage", -8: "America/Los_Angeles",
              -7: "America/Denver or America/Phoenix", -6: "America/Chicago",
              -5: "America/New_York", -4: "America/Halifax", -3: "America/Sao_Paulo",
              0: "Europe/London", 1: "Europe/Paris or Europe/Berlin", 2: "Europe/Athens",
              3: "Europe/Moscow", 4: "Asia/Dubai", 5: "Asia/Karachi", 7: "Asia/Bangkok",
              8: "Asia/Shanghai or Asia/Singapore", 9: "Asia/Tokyo", 10: "Australia/Brisbane"}


#: offsets with minutes, as in UTC+5:30
BY_HALF_OFFSET = {(5, 30): "Asia/Kolkata", (5, 45): "Asia/Kathmandu", (3, 30): "Asia/Tehran",
                  (4, 30): "Asia/Kabul", (6, 30): "Asia/Yangon", (-3, 30): "America/St_Johns",
                  (9, 30): "Australia/Adelaide or Australia/Darwin"}


def meant_by_offset(hours: int, minutes: int = 0) -> str | None:
    """The zone a UTC offset is most often meant to be, or None."""
    return BY_HALF_OFFSET.get((hours, minutes)) if minutes else BY_OFFSET.get(hours)


def _table_file(name: str) -> set[str]:
    import pytz

    zones = set()
    with pytz.open_resource(name) as handle:
        for raw in handle:
            line = raw.decode("utf-8")
            if line.strip() and not line.startswith("#"):
                zones.add(line.split("\t")[2].strip())
    return zones


@functools.lru_cache(maxsize=1)
def country_zones() -> frozenset[str]:
    """Every zone of the database's country table (zone.tab and zone1970.tab)."""
    return frozenset(_table_file("zone.tab") | _table_file("zone1970.tab"))


@functools.lru_cache(maxsize=1)
def _links() -> dict[str, str]:
    """Link name -> the zone it finally points to, from the bundled tzdata.zi."""
    import pytz

    links: dict[str, str] = {}
    with pytz.open_resource("tzdata.zi") as handle:
        for raw in handle:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3 and parts[0] == "L":
                links[parts[2]] = parts[1]
    for name in links:
        target = links[name]
        while target in links and links[target] != target:
            target = links[target]
        links[name] = target
    return links


def exists(name: str) -> bool:
    import pytz

    return name in pytz.all_timezones_set


def is_fixed_offset(name: str) -> bool:
    """A valid name of a zone with a constant UTC offset (no daylight saving, ever)."""
    return exists(name) and (name in FIXED_OFFSET_NAMES or name.startswith("Etc/"))


def is_legacy(name: str) -> bool:
    """A valid name that is neither in the country table nor a fixed offset."""
    return exists(name) and name not in country_zones() and not is_fixed_offset(name)


@functools.lru_cache(maxsize=None)
def replacement(name: str) -> str | None:
    """The country-table zone for the same place as a legacy name (text, may offer two)."""
    if name in POSIX_ZONES:
        return POSIX_ZONES[name]
    if name in EUROPEAN_RULE_ZONES:
        return EUROPEAN_RULE_ZONES[name]
    if name in SAME_PLACE:
        return SAME_PLACE[name]
    target = _links().get(name)
    if target is None:
        return None
    table = country_zones()
    siblings = sorted(zone for zone in table if _links().get(zone, zone) == target)
    import difflib  # here, not at module level: a valid zone never needs it

    city = name.rsplit("/", 1)[-1]
    same_city = difflib.get_close_matches(city, [z.rsplit("/", 1)[-1] for z in siblings], n=1,
                                          cutoff=0.75)
    if same_city:
        return next(z for z in siblings if z.rsplit("/", 1)[-1] == same_city[0])
    if target in table:
        return target
    return siblings[0] if siblings else None


def fixed_offset_text(name: str) -> tuple[str, str | None]:
    """``(what the offset is, the zone people mean)`` for a fixed-offset name."""
    match = _OFFSET.fullmatch(name)
    if match and name.startswith("Etc/") and int(match.group(2)):
        hours = int(match.group(2)) * (-1 if match.group(1) == "+" else 1)
        sign = "+" if hours > 0 else "-"
        what = (f"a fixed UTC{sign}{abs(hours):02d}:00 offset (the sign of Etc/GMT names is "
                f"inverted, POSIX-style: {name} is {abs(hours)} hour{'s' if abs(hours) > 1 else ''} "
                f"{'ahead of' if hours > 0 else 'behind'} UTC)")
        return what, BY_OFFSET.get(hours)
    if name in MEANT_BY_FIXED:
        return f"a fixed UTC{_FIXED_OFFSETS[name]} offset", MEANT_BY_FIXED[name]
    # UTC under any of its names is no place's clock; GMT is the UK's winter time
    return "a fixed UTC+00:00 offset", "Europe/London" if "GMT" in name or "Greenwich" in name else None


@functools.lru_cache(maxsize=1024)
def suggestion(text: str) -> str | None:
    """The zone someone most likely meant by ``text`` (not a zone name): common
    abbreviations, cities and countries first, then close matches among the names
    of places (country-table and legacy names, each taken to its country-table
    zone). Never a legacy or fixed-offset name."""
    import difflib

    import pytz

    key = " ".join(text.replace("_", " ").split()).upper()
    city = key.rsplit("/", 1)[-1]
    if key in COMMON_NAMES:
        return COMMON_NAMES[key]
    by_lower = {name.lower(): name for name in pytz.all_timezones}
    spelled = by_lower.get(text.strip().replace(" ", "_").lower())
    if spelled is not None:
        return _usable(spelled)
    region = "/" in text
    # a typo in a Region/City name: the same region's place, even a legacy one
    # (US/Easten is US/Eastern, not Canada/Eastern; Australia/Canbera is Canberra)
    close = difflib.get_close_matches(text.strip(), _place_names(), n=1, cutoff=0.9) if region else []
    if close:
        return _usable(close[0])
    if city in COMMON_NAMES:
        return COMMON_NAMES[city]
    country = None if region else _country_zone(key)
    if country:
        return country
    cities = _cities()
    if city in cities:
        return cities[city]
    close = difflib.get_close_matches(city, list(cities), n=1, cutoff=0.8)
    if close:
        return cities[close[0]]
    if region:  # a Region/City name: looser close matches of the whole name
        close = difflib.get_close_matches(text.strip(), _place_names(), n=1, cutoff=0.6)
        if close:
            return _usable(close[0])
    return None


@functools.lru_cache(maxsize=1)
def _place_names() -> tuple[str, ...]:
    """Every valid name of a place: the country table's and the legacy ones."""
    import pytz

    return tuple(name for name in pytz.all_timezones if not is_fixed_offset(name))


@functools.lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """City (upper case, spaces) -> its country-table zone: what people call places
    first (NEW YORK, MUMBAI), then the country table's cities, then legacy ones
    (CALCUTTA -> Asia/Kolkata) where they name one place."""
    # not the Windows ids: "Korea Standard Time" is closer to "Romance Standard Time" than
    # to any place, so a close match among them would name another continent
    cities = {name: zone for name, zone in COMMON_NAMES.items()
              if len(name) > 4 and "STANDARD TIME" not in name}
    for zone in sorted(country_zones()):
        cities.setdefault(zone.rsplit("/", 1)[-1].replace("_", " ").upper(), zone)
    for name in _place_names():
        meant = replacement(name) if "/" in name and is_legacy(name) else None
        if meant and " or " not in meant:
            cities.setdefault(name.rsplit("/", 1)[-1].replace("_", " ").upper(), meant)
    return cities


def _country_zone(key: str) -> str | None:
    """The zone of a country named ``key`` (upper case) whose zones all keep one clock
    (Norway, Germany); None for countries with several clocks (Chile, Canada)."""
    from datetime import datetime

    import pytz

    from campaign_lint.tz import timezone

    code = next((code for code, name in pytz.country_names.items() if name.upper() == key), None)
    zones = pytz.country_timezones.get(code, []) if code else []
    offsets = {(timezone(z, 2025).utcoffset(datetime(2025, 1, 15)),
                timezone(z, 2025).utcoffset(datetime(2025, 7, 15))) for z in zones}
    return zones[0] if len(offsets) == 1 else None


def _usable(name: str) -> str | None:
    """A valid name as a suggestion: itself if in the country table, else its replacement."""
    if name in country_zones():
        return name
    if is_fixed_offset(name):  # est: EST is a fixed offset, the place is America/New_York
        return MEANT_BY_FIXED.get(name) if name in ("EST", "MST", "HST") else None
    return replacement(name)
