"""Restricted periods: dates (holidays and the like) on which a channel stays silent.

A period covers startDate through endDate, both inclusive; start == end is one day.
"""

from __future__ import annotations

from typing import Iterator

from campaign_lint.rule import Campaign, Context, Problem, rule

from ._values import DATE, overlapping, restricted_periods


@rule("CC305", "restricted-period-inverted", "error")
def restricted_period_inverted(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A restricted period's startDate is after its endDate.

    What AWS documents (botocore's service model): a restricted period has a
    startDate and an endDate ("Date in ISO 8601 format, e.g. 2024-01-01");
    whether endDate is inclusive, and what an inverted period does, is not
    documented. What has been observed from the service: no report yet.

    What this project decides: a period covers startDate through endDate, both
    inclusive (start == end is one day), an assumption. An inverted period
    covers no day under any reading, so the holiday it was meant to protect is
    not protected: an error.

    Fails:

        communicationTimeConfig:
          telephony:
            restrictedPeriods:
              restrictedPeriodList:
                - {name: Christmas, startDate: "2025-12-26", endDate: "2025-12-24"}

    Passes:

        communicationTimeConfig:
          telephony:
            restrictedPeriods:
              restrictedPeriodList:
                - {name: Christmas, startDate: "2025-12-24", endDate: "2025-12-26"}
    """
    for channel, pointer, window in campaign.time_windows():
        for period in restricted_periods(window, pointer):
            start, end = period.start, period.end
            if start is not None and end is not None and start > end:
                yield Problem(period.pointer + "/startDate",
                              f"{channel} restricted period {period.label()} starts "
                              f"{period.start_text} after it ends {period.end_text}; swap the dates")


@rule("CC306", "bad-calendar-date", "error")
def bad_calendar_date(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A date of the right shape that is not on the calendar: 2025-02-30, 2023-02-29.

    What AWS documents (botocore's service model): dates match the pattern
    YYYY-MM-DD ("Date in ISO 8601 format, e.g. 2024-01-01"); the pattern checks
    only the shape. What has been observed from the service: no report yet of
    what it does with 2025-02-30.

    What this project decides: an error. A date that is not on the calendar can
    only be a mistake, and the holiday it was meant to cover may go unprotected.

    Fails:

        communicationTimeConfig:
          telephony:
            restrictedPeriods:
              restrictedPeriodList:
                - {name: Leap day, startDate: "2023-02-29", endDate: "2023-02-29"}

    Passes:

        communicationTimeConfig:
          telephony:
            restrictedPeriods:
              restrictedPeriodList:
                - {name: Leap day, startDate: "2024-02-29", endDate: "2024-02-29"}
    """
    for channel, pointer, window in campaign.time_windows():
        for period in restricted_periods(window, pointer):
            for member, text, value in (("startDate", period.start_text, period.start),
                                        ("endDate", period.end_text, period.end)):
                if value is None and isinstance(text, str) and DATE.fullmatch(text):
                    yield Problem(f"{period.pointer}/{member}",
                                  f"{channel} restricted period {member} {text} is not a "
                                  "date on the calendar")


@rule("CC307", "restricted-periods-overlap", "warning")
def restricted_periods_overlap(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """Two restricted periods of one window overlap.

    What AWS documents (botocore's service model): a list of restricted
    periods, with nothing about overlaps. What has been observed from the
    service: no report yet.

    What this project decides: dates are inclusive (CC305), so 12-24..12-26
    and 12-26..12-27 share the 26th, while 12-24..12-25 and 12-26..12-27 only
    meet. An overlap is a warning: if the service takes the union nothing is
    lost, but it usually means a copy-paste slip, one of the two periods not
    being the dates it claims to be.

    Fails:

        communicationTimeConfig:
          telephony:
            restrictedPeriods:
              restrictedPeriodList:
                - {name: Christmas, startDate: "2025-12-24", endDate: "2025-12-26"}
                - {name: Boxing week, startDate: "2025-12-26", endDate: "2025-12-31"}

    Passes:

        communicationTimeConfig:
          telephony:
            restrictedPeriods:
              restrictedPeriodList:
                - {name: Christmas, startDate: "2025-12-24", endDate: "2025-12-25"}
                - {name: Boxing week, startDate: "2025-12-26", endDate: "2025-12-31"}
    """
    for channel, pointer, window in campaign.time_windows():
        periods = [p for p in restricted_periods(window, pointer)
                   if p.start is not None and p.end is not None and p.start <= p.end]
        for earlier, later, fix in overlapping(campaign, periods, lambda p: p.start.toordinal(),
                                               lambda p: p.end.toordinal() + 1):
            yield Problem(later.pointer, f"{channel} restricted period {later.label()} "
                          f"({later.start_text}..{later.end_text}) overlaps {earlier.label()} "
                          f"({earlier.start_text}..{earlier.end_text})", fix=fix)


@rule("CC308", "restricted-period-past", "info")
def restricted_period_past(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A restricted period that ended before today.

    What AWS documents: nothing about periods in the past. What has been
    observed from the service: no report yet.

    What this project decides: info. A period that ended before today protects
    nothing any more; holidays move every year, and a list of past dates
    usually means this year's holidays were never added. ``--today`` (or
    ``today`` in the config) pins the date for reproducible CI.

    Fails:

        communicationTimeConfig:
          telephony:
            restrictedPeriods:
              restrictedPeriodList:
                - {name: Christmas 2020, startDate: "2020-12-24", endDate: "2020-12-26"}

    Passes:

        communicationTimeConfig:
          telephony:
            restrictedPeriods:
              restrictedPeriodList:
                - {name: Christmas 2099, startDate: "2099-12-24", endDate: "2099-12-26"}
    """
    for channel, pointer, window in campaign.time_windows():
        for period in restricted_periods(window, pointer):
            if period.end is not None and period.end < context.today:
                yield Problem(period.pointer + "/endDate",
                              f"{channel} restricted period {period.label()} ended on "
                              f"{period.end_text}, before today ({context.today.isoformat()}); "
                              "remove it or move it to this year's dates")
