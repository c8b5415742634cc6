"""Open hours: the time ranges, per day, in which a channel may contact people."""

from __future__ import annotations

from typing import Iterator

from linter.rule import Campaign, Context, Problem, rule

from ._values import time_ranges


@rule("CC301", "open-hours-overlap", "error")
def open_hours_overlap(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """Two time ranges of one day overlap.

    Ranges are half-open, [startTime, endTime): T09:00-T12:00 and T12:00-T14:00
    touch but do not overlap. Overlapping ranges are rejected by the service, or
    hide a typo in the hours you meant to allow. Ranges with a malformed time
    (CC107, CC303) or an empty span (CC302) are left to those rules.

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
            ranges.sort(key=lambda r: (r.start, r.end))
            widest = ranges[0]
            for current in ranges[1:]:
                if current.start < widest.end:
                    later = max(current, widest, key=lambda r: r.pointer)
                    earlier = widest if later is current else current
                    yield Problem(later.pointer, f"{channel} {day} range {later.label()} overlaps "
                                  f"{earlier.label()}; merge them or make them meet end-to-start")
                if current.end > widest.end:
                    widest = current
