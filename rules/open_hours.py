"""Open hours: the time ranges, per day, in which a channel may contact people.

A time range is half-open ``[startTime, endTime)`` on one day. Clock times are
``THH:MM`` with hours 00-23 and minutes 00-59; ``T24:00`` is allowed only as an
endTime and means the end of the day. Overnight hours are two ranges on two days.
"""

from __future__ import annotations

from typing import Iterator

from campaign_lint.rule import Campaign, Context, Problem, rule

from ._values import CLOCK, overlapping, time_ranges


@rule("CC301", "open-hours-overlap", "error")
def open_hours_overlap(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """Two time ranges of one day overlap.

    What AWS documents (botocore's service model): dailyHours maps a day to a
    list of ranges ("Time range in 24 hour format", times like T23:11); nothing
    about overlapping ranges, or whether the service rejects or merges them.
    What has been observed from the service: no report yet.

    What this project decides: ranges are half-open, [startTime, endTime):
    T09:00-T12:00 and T12:00-T14:00 touch but do not overlap. An overlap is an
    error, as it usually hides a typo in the hours you meant to allow. Ranges
    with a malformed time (CC107, CC303) or an empty span (CC302) are left to
    those rules.

    Fails:

        communicationTimeConfig:
          telephony:
            openHours:
              dailyHours:
                MONDAY:
                  - {startTime: T09:00, endTime: T12:00}
                  - {startTime: T11:00, endTime: T14:00}

    Passes:

        communicationTimeConfig:
          telephony:
            openHours:
              dailyHours:
                MONDAY:
                  - {startTime: T09:00, endTime: T12:00}
                  - {startTime: T12:00, endTime: T14:00}
    """
    for channel, pointer, window in campaign.time_windows():
        by_day: dict[str, list] = {}
        for item in time_ranges(window, pointer):
            if item.valid_times and item.start < item.end:
                by_day.setdefault(item.day, []).append(item)
        for day, ranges in by_day.items():
            for earlier, later, fix in overlapping(campaign, ranges, lambda r: r.start, lambda r: r.end):
                yield Problem(later.pointer, f"{channel} {day} range {later.label()} overlaps "
                              f"{earlier.label()}; merge them or make them meet end-to-start", fix=fix)


@rule("CC302", "open-hours-empty-range", "error")
def open_hours_empty_range(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A time range whose startTime is not before its endTime.

    What AWS documents (botocore's service model): a range has a startTime and
    an endTime ("Time in ISO 8601 format, e.g. T23:11"); nothing about a start
    at or after the end, overnight hours, or ``T24:00``. What has been observed
    from the service: no report yet.

    What this project decides: an error. T09:00-T09:00 allows no minute;
    T17:00-T09:00 is not "overnight", it is inverted. Overnight hours are two
    ranges, T17:00-T23:59 on one day and T00:00-T09:00 on the next. A range
    ending at T00:00 is told to end at T23:59 rather than ``T24:00``: this
    linter reads ``T24:00`` as the end of the day (CC303), but AWS does not
    document it, so the advice keeps to what is documented.

    Fails:

        communicationTimeConfig:
          telephony:
            openHours:
              dailyHours:
                FRIDAY: [{startTime: T17:00, endTime: T09:00}]

    Passes:

        communicationTimeConfig:
          telephony:
            openHours:
              dailyHours:
                FRIDAY: [{startTime: T23:00, endTime: T23:59}]
    """
    for channel, pointer, window in campaign.time_windows():
        for item in time_ranges(window, pointer):
            if not item.valid_times or item.start < item.end:
                continue
            if item.end == 0:
                advice = "T00:00 is the start of the day; end at T23:59 for midnight (AWS documents no T24:00)"
            else:
                advice = "write overnight hours as two ranges on two days"
            what = "is empty" if item.start == item.end else "ends before it starts"
            yield Problem(item.pointer, f"{channel} {item.day} range {item.label()} {what}; {advice}")


@rule("CC303", "bad-clock-time", "error")
def bad_clock_time(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A clock time that does not exist: T24:30, T12:75, T25:00, or T24:00 as a start.

    What AWS documents (botocore's service model): times match the pattern
    THH:MM ("Time range in 24 hour format"); the pattern checks only the shape,
    and whether ``T24:00`` is accepted is not documented. What has been
    observed from the service: no report yet.

    What this project decides: an error for a time that is not on the clock.
    Hours run 00-23 and minutes 00-59; ``T24:00`` means the end of the day and
    is allowed only as an endTime.

    Fails:

        communicationTimeConfig:
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T08:00, endTime: T24:30}]

    Fails:

        communicationTimeConfig:
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T24:00, endTime: T24:00}]

    Passes:

        communicationTimeConfig:
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T20:00, endTime: T24:00}]
    """
    for channel, pointer, window in campaign.time_windows():
        for item in time_ranges(window, pointer):
            for member, text, value in (("startTime", item.start_text, item.start),
                                        ("endTime", item.end_text, item.end)):
                if value is not None or not isinstance(text, str) or not CLOCK.fullmatch(text):
                    continue  # fine, or malformed (CC107) or missing (CC102)
                why = ("T24:00 is only allowed as an endTime" if text == "T24:00"
                       else "hours run 00-23 and minutes 00-59")
                yield Problem(f"{item.pointer}/{member}",
                              f"{channel} {item.day} {member} {text} is not a clock time: {why}")


@rule("CC304", "never-open", "warning")
def never_open(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A time window whose open hours have no range on any day.

    What AWS documents (botocore's service model): openHours holds a dailyHours
    map, with no minimum number of days or of ranges a day; what a window with
    no range means (never open, or no limit on the hours) is not documented.
    What has been observed from the service: no report yet.

    What this project decides: a warning, as neither reading is likely to be
    what was meant; usually a template left half-filled. The message says
    that the service's reading is not documented.

    Fails:

        communicationTimeConfig:
          sms:
            openHours:
              dailyHours:
                MONDAY: []

    Passes:

        communicationTimeConfig:
          sms:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T10:00, endTime: T18:00}]
    """
    for channel, pointer, window in campaign.time_windows():
        hours = window.get("openHours")
        if not hasattr(hours, "get") or not hasattr(hours.get("dailyHours"), "items"):
            continue  # missing or malformed: CC102/CC103/CC108
        if not time_ranges(window, pointer):  # one item per range listed on any day
            yield Problem(f"{pointer}/openHours/dailyHours",
                          f"{channel} open hours have no time range on any day; AWS does not document "
                          "whether that means never or at any hour: list the hours meant")
