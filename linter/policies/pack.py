"""Policy packs: legal calling hours, banned days, holidays and contact caps, as data.

A pack is one TOML or JSON file, checked against :data:`SCHEMA` when it is loaded.
The built-in packs live in ``packs/`` beside this module; users add their own with
``policy-dirs`` (same schema). Nothing here is imported unless a pack is selected.
"""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
import warnings
from ..record import record, field
from datetime import date
from typing import Any, Iterable, Mapping

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
#: a pack's channel -> the campaign's channel subtype
CHANNELS = {"voice": "telephony", "sms": "sms", "email": "email"}
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: yearly rules a pack may list
MAX_ANNUAL = 50
#: an iCalendar (RFC 5545) recurrence rule, yearly only: a day of the year by month, day of the
#: month and weekday (``FREQ=YEARLY;BYMONTH=10;BYDAY=2MO``), never more than 366 days a year;
#: BYMONTH is required (a rule without it would silently mean January 1, or every such weekday)
ANNUAL_RULE = (r"^(?=.*;BYMONTH=)FREQ=YEARLY"
               r"(;BY(MONTH|MONTHDAY|DAY|SETPOS)=[+-]?[0-9A-Z]{1,4}(,[+-]?[0-9A-Z]{1,4}){0,30})+$")

_RANGE = {"type": "array", "minItems": 2, "maxItems": 2,
          "items": {"type": "string", "pattern": CLOCK}}
_TEXT = {"type": "string", "minLength": 1}
_CAP = {
    "type": "object",
    "additionalProperties": False,
    "required": ["max", "scope", "channels", "connect", "exact"],
    "properties": {
        "max": {"type": "integer", "minimum": 1},
        "per-days": {"type": "integer", "minimum": 1},
        "per-hours": {"type": "integer", "minimum": 1},
        "scope": _TEXT,
        "channels": {"type": "array", "minItems": 1, "items": {"enum": list(CHANNELS)}},
        "default": {"type": "boolean"},
        "when": {"enum": ["answer-machine-detection"]},
        "connect": {
            "type": "object", "additionalProperties": False, "required": ["max", "days"],
            "properties": {"max": {"type": "integer", "minimum": 1},
                           "days": {"type": "integer", "minimum": 1, "maximum": 30}},
        },
        "exact": {"type": "boolean"},
        "note": {"type": "string"},
        "confidence": {"enum": ["high", "medium", "low"]},
    },
    "oneOf": [{"required": ["per-days"]}, {"required": ["per-hours"]}],
}
#: the JSON Schema every pack file meets (TOML packs are checked as the same data)
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "title", "jurisdiction", "covers", "channels", "audience", "citation",
                 "source-url", "last-checked", "confidence"],
    "properties": {
        "id": {"type": "string", "pattern": r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"},
        "title": _TEXT,
        "jurisdiction": _TEXT,
        "covers": {"type": "array", "minItems": 1,
                   "items": {"enum": ["telemarketing", "debt-collection", "research", "charitable"]}},
        "channels": {"type": "array", "minItems": 1, "items": {"enum": list(CHANNELS)}},
        "audience": {"type": "array", "minItems": 1, "items": _TEXT},
        "hours": {"type": "object", "propertyNames": {"enum": list(DAYS)},
                  "additionalProperties": {"type": "array", "items": _RANGE}},
        "banned-days": {"type": "array", "items": {"enum": list(DAYS)}},
        "statute-clock": _TEXT,
        "holidays": {
            "type": "object", "additionalProperties": False,
            "properties": {
                "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                "subdivision": _TEXT,
                "categories": {"type": "array", "minItems": 1, "items": _TEXT},
                "every-subdivision": {"type": "boolean"},
                "dates": {"type": "array", "items": {"type": "string", "pattern": ISO_DATE}},
                # bounded: every pack file of policy-dirs is checked when packs load
                "annual": {"type": "array", "maxItems": MAX_ANNUAL, "items": {
                    "type": "object", "additionalProperties": False, "required": ["rule", "name"],
                    "properties": {"rule": {"type": "string", "maxLength": 200, "pattern": ANNUAL_RULE},
                                   "name": _TEXT}}},
                "note": {"type": "string"},
            },
        },
        "caps": {"type": "array", "items": _CAP},
        "citation": _TEXT,
        "source-url": {"type": "string", "pattern": "^https?://"},
        "last-checked": {"type": "string", "pattern": ISO_DATE},
        "confidence": {"enum": ["high", "medium", "low"]},
        "notes": {"type": "string"},
    },
}


class PackError(ValueError):
    """A pack file that cannot be used: the message names the file and the fix."""


@record(frozen=True)
class Cap:
    """At most ``max`` contacts per ``per_days`` days (or ``per_hours`` rolling hours)."""

    max: int
    scope: str
    channels: tuple[str, ...]
    #: the closest Amazon Connect limit: (maxCountPerRecipient, frequency in DAYs)
    connect: tuple[int, int]
    #: True when the Connect limit means exactly what the law says
    exact: bool
    per_days: int | None = None
    per_hours: int | None = None
    #: False for caps of a narrower scope than the pack (CC704's ``all-caps`` turns them on)
    default: bool = True
    #: a campaign feature the cap applies to (``answer-machine-detection``), or None
    when: str | None = None
    note: str = ""
    confidence: str | None = None

    def label(self) -> str:
        span = f"{self.per_days} day{'s' if self.per_days != 1 else ''}" if self.per_days \
            else f"{self.per_hours} hours (rolling)"
        return f"{self.max} per {span}"


@record(frozen=True, eq=False)  # compared and hashed by identity: caches key on packs
class Pack:
    id: str
    title: str
    jurisdiction: str
    covers: tuple[str, ...]
    channels: tuple[str, ...]
    #: ISO country codes and zone names whose callees the pack protects
    audience: tuple[str, ...]
    #: weekday -> allowed (start, end) minutes of the callee's local day; a weekday that is
    #: absent has no time-of-day rule; None: the pack has no hours at all
    hours: Mapping[str, tuple[tuple[int, int], ...]] | None
    banned_days: frozenset[str]
    holidays: Mapping[str, Any]
    caps: tuple[Cap, ...]
    citation: str
    source_url: str
    last_checked: str
    confidence: str
    notes: str = ""
    #: the file the pack was read from
    path: str = field(default="", compare=False)
    #: a zone on whose clock the hours also hold (a law read either as the callee's time or as
    #: the state's): a callee's legal minutes are those inside the hours on both clocks
    statute_clock: str | None = None

    def allowed(self, weekday: str) -> tuple[tuple[int, int], ...] | None:
        """Allowed callee-local minutes on a weekday: () when banned, None when unrestricted."""
        if weekday in self.banned_days:
            return ()
        if self.hours is None:
            return None
        return self.hours.get(weekday)

    def subtypes(self) -> tuple[str, ...]:
        """The campaign channel subtypes the pack applies to."""
        return tuple(CHANNELS[c] for c in self.channels)

    def holiday_dates(self, start: date, end: date) -> dict[date, str]:
        """Banned holidays from ``start`` to ``end`` inclusive, with their names."""
        found: dict[date, str] = {}
        country = self.holidays.get("country")
        if country:
            years = tuple(range(start.year, end.year + 1))
            categories = tuple(self.holidays.get("categories") or ("public",))
            found.update(_library_holidays(country, self.holidays.get("subdivision"), categories, years))
            if self.holidays.get("every-subdivision"):
                for day, name in _holidays_everywhere(country, categories, years).items():
                    found.setdefault(day, name)
        for text in self.holidays.get("dates", ()):
            found.setdefault(date.fromisoformat(text), "holiday listed in the pack")
        for entry in self.holidays.get("annual", ()):
            for day in _annual_dates(entry["rule"], start.year, end.year):
                found.setdefault(day, entry["name"])
        return {day: name for day, name in sorted(found.items()) if start <= day <= end}


@functools.lru_cache(maxsize=64)
def _library_holidays(country: str, subdivision: str | None, categories: tuple[str, ...],
                      years: tuple[int, ...]) -> dict[date, str]:
    import holidays  # only when a selected pack bans holidays

    empty = holidays.country_holidays(country, subdiv=subdivision, categories=categories)  # no year: no work
    with warnings.catch_warnings():  # years past a calendar's data: a UserWarning on stderr, not ours
        warnings.simplefilter("ignore")
        calendar = holidays.country_holidays(country, subdiv=subdivision, years=years,
                                             categories=categories, language=_names_language(empty))
        return dict(calendar.items())


def _subdivisions(country: str) -> tuple[str, ...]:
    import holidays

    return tuple(holidays.country_holidays(country).subdivisions)


@functools.lru_cache(maxsize=64)
def _holidays_everywhere(country: str, categories: tuple[str, ...], years: tuple[int, ...]) -> dict[date, str]:
    """The days that are holidays in every subdivision of a country (Australia's Boxing Day
    substitute Monday, which its national list lacks), named as the first subdivision names them."""
    calendars = [_library_holidays(country, subdivision, categories, years)
                 for subdivision in _subdivisions(country)]
    if not calendars:
        return {}
    common = set(calendars[0]).intersection(*calendars[1:])
    return {day: name for day, name in calendars[0].items() if day in common}


@functools.lru_cache(maxsize=4096)
def _annual_dates(rule: str, first_year: int, last_year: int) -> tuple[date, ...]:
    """The days of the years ``first_year`` to ``last_year`` that a yearly rule names."""
    from datetime import datetime

    from dateutil.rrule import rrulestr

    recurrence = rrulestr(rule, dtstart=datetime(first_year, 1, 1))
    return tuple(moment.date() for moment in
                 recurrence.between(datetime(first_year, 1, 1), datetime(last_year, 12, 31), inc=True))


#: holiday names are written in English when the library has them in English
ENGLISH = "en_US"


def _names_language(calendar: Any) -> str | None:
    """The language a country's holiday names are given in: its own when that is an English
    (en_AU: "Labour Day"), else US English when translated, else the country's own. Named
    whenever the library knows the country's language: left to the library, the names follow
    the user's locale (LANG=fr_FR gives French names, and Python 3.11 reads LANG=C.UTF-8 as
    en_US where 3.12 does not), so a finding's text would depend on who runs the linter. A
    country with no default language has no translations either: its names are its own."""
    supported = tuple(getattr(calendar, "supported_languages", ()) or ())
    default = getattr(calendar, "default_language", None)
    if default and default.startswith("en"):
        return default
    if ENGLISH in supported:
        return ENGLISH
    return default


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _plain(value: Any) -> Any:
    """TOML dates as ISO strings, so TOML and JSON packs are checked alike."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def read_pack(path: str) -> Pack:
    """Read and check one pack file (``.toml`` or ``.json``)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise PackError(f"{path}: cannot read the policy pack: {getattr(error, 'strerror', None) or error}") \
            from None
    try:
        if path.endswith(".json"):
            data = json.loads(text)
        else:
            from ..config import _toml_loads

            data = _toml_loads(text)
    except (ValueError, RecursionError) as error:  # RecursionError: nesting too deep to read
        raise PackError(f"{path}: not valid {'JSON' if path.endswith('.json') else 'TOML'}: "
                        f"{error if isinstance(error, ValueError) else 'nested too deeply'}") from None
    return parse_pack(_plain(data), path)


def parse_pack(data: Any, path: str) -> Pack:
    """Check a pack's data against the schema and its semantics; build the Pack."""
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.absolute_path) or "top level"
        raise PackError(f"{path}: policy pack {where}: {error.message}")
    expected = os.path.splitext(os.path.basename(path))[0]
    if expected != data["id"]:
        raise PackError(f"{path}: policy pack id {data['id']!r} must match its file name ({expected!r})")
    hours = None
    if "hours" in data:
        hours = {}
        for day, ranges in data["hours"].items():
            spans = tuple(sorted((_minutes(a), _minutes(b)) for a, b in ranges))
            for start, end in spans:
                if start >= end or start == 24 * 60:
                    raise PackError(f"{path}: policy pack hours/{day}: {start // 60:02d}:{start % 60:02d}"
                                    f" is not before {end // 60:02d}:{end % 60:02d}")
            hours[day] = spans
    banned = frozenset(data.get("banned-days", ()))
    if hours is not None and any(hours.get(day) for day in banned):
        raise PackError(f"{path}: policy pack lists hours for a banned day")
    caps = tuple(Cap(max=c["max"], scope=c["scope"], channels=tuple(c["channels"]),
                     connect=(c["connect"]["max"], c["connect"]["days"]), exact=c["exact"],
                     per_days=c.get("per-days"), per_hours=c.get("per-hours"),
                     default=c.get("default", True), when=c.get("when"), note=c.get("note", ""),
                     confidence=c.get("confidence")) for c in data.get("caps", ()))
    _check_text(data, path)
    _check_audience(data["audience"], path)
    _check_holidays(data.get("holidays", {}), path)
    _check_statute_clock(data.get("statute-clock"), path)
    return Pack(id=data["id"], title=data["title"], jurisdiction=data["jurisdiction"],
                covers=tuple(data["covers"]), channels=tuple(data["channels"]),
                audience=tuple(data["audience"]), hours=hours, banned_days=banned,
                holidays=dict(data.get("holidays", {})), caps=caps, citation=data["citation"],
                source_url=data["source-url"], last_checked=data["last-checked"],
                confidence=data["confidence"], notes=data.get("notes", ""), path=path,
                statute_clock=data.get("statute-clock"))


def _check_statute_clock(zone: str | None, path: str) -> None:
    import pytz

    if zone is not None and zone not in pytz.all_timezones_set:
        raise PackError(f"{path}: policy pack statute-clock: {zone!r} is not a zone of the IANA database "
                        "(e.g. America/Chicago)")


def _check_audience(entries: Iterable[str], path: str) -> None:
    for entry in entries:
        try:
            zones_of(entry)
        except ValueError as error:
            raise PackError(f"{path}: policy pack audience: {error}") from None


#: control characters (C0 but tab and newline, DEL, C1), line and paragraph separators (a line
#: break to str.splitlines); with them every format character (Unicode category Cf: the
#: bidirectional marks and overrides, zero-width characters, U+FEFF), see :func:`_check_text`:
#: pack text goes into findings, ``explain`` and ``policies`` as it is; a newline or an escape
#: sequence there could forge an output line or repaint the terminal, a bidi override reorder a
#: line, an invisible character make a citation look like another
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
#: the only members that may run over several lines (``explain`` prints them as they are)
_MULTILINE = {"notes"}


def _has_format_character(text: str) -> bool:
    return not text.isascii() and any(unicodedata.category(char) == "Cf" for char in text if not char.isascii())


def _check_text(data: Any, path: str, where: str = "") -> None:
    """No control, bidi or invisible format character in any text of a pack, no line break
    outside ``notes``."""
    if isinstance(data, dict):
        for key, value in data.items():
            _check_text(value, path, f"{where}/{key}" if where else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _check_text(value, path, f"{where}/{index}")
    elif isinstance(data, str):
        multiline = where in _MULTILINE
        if (_CONTROL.search(data) or _has_format_character(data)
                or (not multiline and ("\n" in data or "\t" in data))):
            raise PackError(f"{path}: policy pack {where}: control characters, bidi or invisible format "
                            f"characters{'' if multiline else ' or line breaks'} are not allowed in pack text")


#: the values RFC 5545 allows each part of a yearly rule: the number's pattern and its largest
#: size (0 is never one: dateutil would silently drop it, and BYMONTHDAY=0 would then mean every
#: day of the month)
_RULE_VALUE = {
    "BYMONTH": (re.compile(r"([0-9]{1,2})"), 12),
    "BYMONTHDAY": (re.compile(r"[+-]?([0-9]{1,2})"), 31),
    "BYDAY": (re.compile(r"(?:[+-]?([0-9]{1,2}))?(?:MO|TU|WE|TH|FR|SA|SU)"), 53),
    "BYSETPOS": (re.compile(r"[+-]?([0-9]{1,3})"), 366),
}
#: 56 years: every weekday pattern of the Gregorian calendar between 1901 and 2099 recurs within
#: 28 years, so a rule that names no day in 2000-2055 names none (February's fifth Monday: 2016, 2044)
_RULE_SEARCH = "20551231T000000"


def _annual_rule_problem(rule: str) -> str | None:
    """What is wrong with a yearly rule the schema admitted, or None: each part once, each value
    in its range, a day of the month or week besides the month, and some day named in 2000-2055."""
    from datetime import datetime

    from dateutil.rrule import rrulestr

    parts = dict(part.split("=", 1) for part in rule.split(";")[1:])
    if len(parts) < rule.count(";"):
        return "gives a part twice (dateutil would keep only the last)"
    if "BYMONTHDAY" not in parts and "BYDAY" not in parts:
        return "names a month but no day (dateutil would take the 1st): add BYMONTHDAY or BYDAY"
    for key, values in parts.items():
        pattern, limit = _RULE_VALUE[key]
        for value in values.split(","):
            match = pattern.fullmatch(value)
            if match is None or (match.group(1) is not None and not 1 <= int(match.group(1)) <= limit):
                return f"has {key}={value}, not a value RFC 5545 allows there"
    try:  # UNTIL bounds the search: a rule naming no day would otherwise run to the year 9999
        first = next(iter(rrulestr(f"{rule};UNTIL={_RULE_SEARCH}", dtstart=datetime(2000, 1, 1))), None)
    except (ValueError, TypeError) as error:
        return f"is not a yearly rule dateutil can read ({error})"
    return "names no day in 2000-2055" if first is None else None


def _check_holidays(spec: Mapping[str, Any], path: str) -> None:
    for text in spec.get("dates", ()):
        try:
            date.fromisoformat(text)
        except ValueError:
            raise PackError(f"{path}: policy pack holidays/dates: {text!r} is not a calendar date") from None
    for index, entry in enumerate(spec.get("annual", ())):
        problem = _annual_rule_problem(entry["rule"])
        if problem:
            raise PackError(f"{path}: policy pack holidays/annual/{index}: {entry['rule']!r} {problem}; example: "
                            "FREQ=YEARLY;BYMONTH=10;BYDAY=2MO (the second Monday of October)")
    if spec.get("every-subdivision") and (not spec.get("country") or spec.get("subdivision")):
        raise PackError(f"{path}: policy pack holidays/every-subdivision: needs a country and no "
                        "subdivision (it adds the days that are holidays in every subdivision of the country)")
    if spec.get("country") and not os.path.dirname(os.path.abspath(path)) == BUILTIN_DIR:
        # a user's pack: ask the holidays library now, not in the middle of a run (the
        # built-in packs are checked by the test suite; importing holidays costs start-up time)
        try:
            categories = tuple(spec.get("categories") or ("public",))
            _library_holidays(spec["country"], spec.get("subdivision"), categories, ())
            if spec.get("every-subdivision"):
                if not _subdivisions(spec["country"]):
                    raise PackError(f"{path}: policy pack holidays/every-subdivision: the holidays library "
                                    f"knows no subdivision of {spec['country']}; remove every-subdivision")
                _holidays_everywhere(spec["country"], categories, (2026,))
        except PackError:
            raise
        except (NotImplementedError, ValueError, KeyError, AttributeError) as error:
            raise PackError(f"{path}: policy pack holidays: the holidays library does not know "
                            f"{spec['country']}{'-' + spec['subdivision'] if spec.get('subdivision') else ''} "
                            f"{'/'.join(spec.get('categories') or ['public'])}: {error}") from None


def zones_of(entry: str) -> tuple[str, ...]:
    """The zones an audience entry stands for: an ISO country code (``US``: the zone
    database's entries for that country) or one zone name."""
    import pytz

    if re.fullmatch(r"[A-Z]{2}", entry):
        zones = pytz.country_timezones.get(entry)
        if not zones:
            raise ValueError(f"{entry!r} is not a country of the zone database")
        return tuple(zones)
    if entry in pytz.all_timezones_set:
        return (entry,)
    from ..schema import did_you_mean

    raise ValueError(f"{entry!r} is neither a country code nor a time zone"
                     f"{did_you_mean(entry, list(pytz.all_timezones))}")


BUILTIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "packs")


def pack_files(folder: str) -> list[str]:
    """The pack files of a folder; one that is a link out of it is refused (as a rule module
    linked from outside a config's folder is: :func:`campaign_lint.config.leads_out`)."""
    from ..config import leads_out

    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        raise PackError(f"{folder}: cannot read the policy folder: {error.strerror}") from None
    files = [os.path.join(folder, n) for n in names if n.endswith((".toml", ".json"))]
    base = os.path.realpath(folder)
    for path in files:
        if leads_out(path, base):
            raise PackError(f"{path}: a link out of the policy folder; copy the pack file instead")
    return files


@functools.lru_cache(maxsize=8)
def load_packs(dirs: tuple[str, ...] = ()) -> dict[str, Pack]:
    """Every pack: the built-in ones, then those of ``dirs`` (an id may not repeat)."""
    packs: dict[str, Pack] = {}
    for folder in (BUILTIN_DIR, *dirs):
        for path in pack_files(folder):
            pack = read_pack(path)
            if pack.id in packs:
                raise PackError(f"{path}: policy pack {pack.id!r} is already defined by "
                                f"{packs[pack.id].path}; give it another id")
            packs[pack.id] = pack
    return dict(sorted(packs.items()))
