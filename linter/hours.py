"""A picture of the calling week: when a campaign may contact a callee, per channel and
callee time zone, as a grid of days x half hours (``campaign-lint hours``, and the HTML
report).

Readings (AWS documents ``defaultTimeZone`` as the zone "for all recipients" and
``localTimeZoneDetection`` as detection of each recipient's zone, and no order between
them):

- *callee-local* (``localTimeZoneDetection`` set): the open hours are the callee's own
  clock, the same picture in every zone;
- *default zone* (``defaultTimeZone`` set): every callee gets that zone's clock; a callee
  elsewhere sees the hours shifted, by the offsets of the week shown (daylight saving
  included);
- both set: both readings are drawn; neither: the hours as written, with no zone.

A slot is *open* when every minute of it is, *partly* when some are. Restricted periods
are listed, not drawn: the grid is one week, they are dates.
"""

from __future__ import annotations

from .record import record, field
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Iterator, Sequence

from .model import Campaign, as_sequence, as_str, is_unknown

SLOT_MINUTES = 30
SLOTS = 24 * 60 // SLOT_MINUTES
DAY_NAMES = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
CLOSED, PARTLY, OPEN = 0, 1, 2


@record
class Grid:
    """One picture: 7 rows (Monday first) of ``SLOTS`` slot states."""

    title: str
    rows: list[list[int]]
    #: ``(pack id, rows)``: the legal window of each selected policy pack, same clock
    legal: list[tuple[str, list[list[int]]]] = field(default_factory=list)


@record
class ChannelWeek:
    channel: str
    reading: str  # how the hours are read, in words
    grids: list[Grid] = field(default_factory=list)
    #: ``(name, start, end, past)`` of each restricted period
    restricted: list[tuple[str, str, str, bool]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def known_zone(name: str) -> bool:
    import pytz

    return name in pytz.all_timezones_set


def campaign_week(campaign: Campaign, zones: Iterable[str], today: date,
                  packs: Sequence[Any] = ()) -> list[ChannelWeek]:
    """The grids of every channel window of a campaign, for callees in ``zones`` (for the
    default-zone reading; none given: the default zone itself), in the week of ``today``;
    with the legal window of each policy pack (of ``packs``) that covers the channel."""
    weeks = _campaign_week(campaign, zones, today)
    monday = monday_of(today)
    for week in weeks:
        covering = [pack for pack in packs if week.channel in pack.subtypes()]
        for grid in week.grids:
            zone = grid.title.removeprefix("callee in ") if grid.title.startswith("callee in ") else None
            grid.legal = [(pack.id, legal_rows(pack, zone or _audience_zone(pack, zones), monday))
                          for pack in covering]
    return weeks


def _audience_zone(pack: Any, zones: Iterable[str]) -> str:
    """The zone a callee-local grid's legal window is drawn for (the pack's hours are the
    callee's own clock, so only holidays can depend on it)."""
    from .policies import audience

    return next(iter(zones), None) or next(iter(audience(pack, ())), "UTC")


def legal_rows(pack: Any, zone: str, monday: date) -> list[list[int]]:
    """When ``pack`` lets a callee in ``zone`` be contacted, on the callee's clock, day by day."""
    from .policies import legal_window
    from .tz import timezone

    clock = timezone(zone, (monday + timedelta(days=7)).year)
    rows = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        minutes = bytearray(24 * 60)
        for start, end in legal_window(pack, day, zone):
            low, high = (_minute_of(moment.astimezone(clock), day) for moment in (start, end))
            minutes[low:high] = b"\x01" * max(0, high - low)
        rows.append(_slots(minutes.__getitem__))
    return rows


def _minute_of(moment: datetime, day: date) -> int:
    """A local moment as a minute of ``day`` (clipped to the day)."""
    if moment.date() < day:
        return 0
    if moment.date() > day:
        return 24 * 60
    return moment.hour * 60 + moment.minute


def _campaign_week(campaign: Campaign, zones: Iterable[str], today: date) -> list[ChannelWeek]:
    from .rules._values import configured_channels, detects_zone

    config = campaign.mapping("/communicationTimeConfig/localTimeZoneConfig")
    default = as_str(config.get("defaultTimeZone"))
    # as every rule reads it: a detection not known here (a template's parameter) is set
    detection = ["not known here" if is_unknown(d) else d
                 for d in as_sequence(config.get("localTimeZoneDetection")) if isinstance(d, str)] \
        or (["not known here"] if detects_zone(campaign) else [])
    zones = list(dict.fromkeys(zones)) or ([default] if default else [])
    monday = monday_of(today)
    weeks = []
    for channel, _pointer, window in campaign.time_windows():
        open_minutes = _open_minutes(window)
        restricted = list(_restricted(window, today))
        if detection:
            weeks.append(ChannelWeek(channel, f"callee-local: each callee's own clock "
                                     f"(localTimeZoneDetection: {', '.join(detection)})",
                                     [Grid("every callee, in their own time zone",
                                           _local_grid(open_minutes))], restricted))
        if default:
            week = ChannelWeek(channel, f"default zone: every callee gets the clock of {default}",
                               restricted=restricted)
            if not known_zone(default):
                week.notes.append(f"{default} is not a time zone; the hours cannot be placed")
            else:
                week.grids = [Grid(f"callee in {zone}", _zone_grid(open_minutes, default, zone, monday))
                              for zone in zones]
            weeks.append(week)
        if not detection and not default:
            weeks.append(ChannelWeek(channel, "no time zone: the hours as written, in nobody's clock",
                                     [Grid("as written", _local_grid(open_minutes))], restricted))
    windowed = {week.channel for week in weeks}
    windows = campaign.mapping("/communicationTimeConfig")
    for channel in configured_channels(campaign):  # settings not known here too, as CC206 reads them
        if channel in windowed:
            continue
        weeks.append(ChannelWeek(channel, "no window: no hours are set for this channel, so it may contact people "
                                 "at any hour (CC206)" if windows.get(channel) is None else
                                 "window not drawn: it is not an object here (a value not known before "
                                 "deploy, or a defect that check reports)"))
    return weeks


def _open_minutes(window: Any) -> dict[str, list[tuple[int, int]]]:
    """Well-formed open ranges per day, as ``[start, end)`` minutes (malformed ones are the
    rules' findings, not drawn)."""
    from .rules._values import time_ranges

    ranges: dict[str, list[tuple[int, int]]] = {day: [] for day in DAY_NAMES}
    for item in time_ranges(window, ""):
        if item.day in ranges and item.valid_times and item.start < item.end:
            ranges[item.day].append((item.start, item.end))
    return ranges


def _restricted(window: Any, today: date) -> Iterator[tuple[str, str, str, bool]]:
    from .rules._values import restricted_periods

    for period in restricted_periods(window, ""):
        end = period.end
        yield (period.name or "", str(period.start_text), str(period.end_text),
               end is not None and end < today)


def _slots(is_open: Any) -> list[int]:
    """Slot states of one day from ``is_open(minute)``."""
    states = []
    for slot in range(SLOTS):
        count = sum(1 for minute in range(slot * SLOT_MINUTES, (slot + 1) * SLOT_MINUTES) if is_open(minute))
        states.append(OPEN if count == SLOT_MINUTES else PARTLY if count else CLOSED)
    return states


def _minute_table(open_minutes: dict[str, list[tuple[int, int]]]) -> list[bytearray]:
    """Per weekday (Monday first), 1 for each open minute of the day."""
    table = []
    for day in DAY_NAMES:
        minutes = bytearray(24 * 60)
        for start, end in open_minutes[day]:
            minutes[start:end] = b"\x01" * (end - start)
        table.append(minutes)
    return table


def _local_grid(open_minutes: dict[str, list[tuple[int, int]]]) -> list[list[int]]:
    return [_slots(minutes.__getitem__) for minutes in _minute_table(open_minutes)]


def _zone_grid(open_minutes: dict[str, list[tuple[int, int]]], default: str, callee: str,
               monday: date) -> list[list[int]]:
    """The default zone's open hours as the callee's wall clock sees them, day by day of
    the week starting ``monday`` (a callee wall time a DST change skips is never open).

    Offsets are looked up per quarter hour: every zone's changes fall on quarter hours."""
    import pytz

    from .tz import timezone

    through = (monday + timedelta(days=7)).year
    source, target = timezone(default, through), timezone(callee, through)
    table = _minute_table(open_minutes)
    shift = _constant_shift(source, target, monday)
    if shift is not None:  # no clock change this week: the whole week moves by one offset
        week = b"".join(table)
        return [_slots(lambda minute, start=day * 24 * 60: week[(start + minute + shift) % len(week)])
                for day in range(7)]
    rows = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        midnight = datetime(day.year, day.month, day.day)
        there: list[datetime | None] = []  # the default zone's wall time at each quarter
        for quarter in range(96):
            wall = midnight + timedelta(minutes=15 * quarter)
            try:
                instant = target.localize(wall, is_dst=None)
            except pytz.NonExistentTimeError:
                there.append(None)
                continue
            except pytz.AmbiguousTimeError:
                instant = target.localize(wall, is_dst=False)
            there.append(instant.astimezone(source).replace(tzinfo=None))

        def is_open(minute: int, there: list = there) -> bool:
            start = there[minute // 15]
            if start is None:
                return False
            weekday, at = start.weekday(), start.hour * 60 + start.minute + minute % 15
            if at >= 24 * 60:  # the quarter crosses the default zone's midnight
                weekday, at = (weekday + 1) % 7, at - 24 * 60
            return bool(table[weekday][at])

        rows.append(_slots(is_open))
    return rows


def _constant_shift(source: Any, target: Any, monday: date) -> int | None:
    """Minutes to add to the callee's wall clock for the default zone's, when neither zone
    changes its offset during the week; None when one does."""
    start = datetime(monday.year, monday.month, monday.day)
    end = start + timedelta(days=7)
    offsets = [zone.localize(moment, is_dst=False).utcoffset()
               for zone in (source, target) for moment in (start, end)]
    if offsets[0] != offsets[1] or offsets[2] != offsets[3]:
        return None
    return int((offsets[0] - offsets[2]).total_seconds() // 60)


# --- text ------------------------------------------------------------------------------

_CELLS = {True: {CLOSED: "·", PARTLY: "▌", OPEN: "█"}, False: {CLOSED: ".", PARTLY: "+", OPEN: "#"}}


def render_text(campaign_weeks: list[tuple[str, list[ChannelWeek]]], monday: date,
                unicode: bool = True) -> str:
    """The grids as text, one block per campaign and channel."""
    from .report.escape import line_safe, not_a_place
    from .report.terminal import escape

    cells = _CELLS[unicode]
    header = "      " + "".join(f"{hour:02d}  " for hour in range(0, 24, 2)).rstrip()
    out = [f"Week of Monday {monday.isoformat()}; one character = {SLOT_MINUTES} minutes: "
           f"{cells[OPEN]} open, {cells[PARTLY]} partly open, {cells[CLOSED]} closed", ""]
    for label, weeks in campaign_weeks:
        out.append(not_a_place(escape(label)))
        if not weeks:
            out += ["  no communication time window: the campaign names no hours", ""]
        for week in weeks:
            out.append(f"  {week.channel}: {escape(week.reading)}")
            out += [f"    {escape(note)}" for note in week.notes]
            for grid in week.grids:
                out.append(f"    {escape(grid.title)}")
                if grid.legal:
                    out.append("        " + "  ".join(label.ljust(SLOTS) for label in
                                                      ["campaign", *(f"{pack} (legal window)"
                                                                     for pack, _ in grid.legal)]).rstrip())
                hours = header.strip().ljust(SLOTS)
                out.append(("        " + "  ".join([hours] * (1 + len(grid.legal)))).rstrip())
                for index, (name, row) in enumerate(zip(DAY_NAMES, grid.rows, strict=True)):
                    beside = "".join("  " + "".join(cells[s] for s in rows[index]) for _, rows in grid.legal)
                    out.append(f"    {name[:3].title()} " + "".join(cells[s] for s in row) + beside)
            if week.restricted:
                out.append("    restricted periods (closed all day):")
                out += [f"      {escape(name) or '(no name)'}: {escape(start)}..{escape(end)}"
                        f"{' (past)' if past else ''}" for name, start, end, past in week.restricted]
            out.append("")
    return "\n".join(line_safe(line) for line in out).rstrip("\n") + "\n"


def as_label(campaign: Campaign) -> str:
    name = campaign.ref.label() or "campaign"
    where = campaign.origin.path or campaign.origin.region or ""
    return f"{name} ({where})" if where else name
