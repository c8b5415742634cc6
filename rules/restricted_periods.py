"""Restricted periods: dates (holidays and the like) on which a channel stays silent."""

from __future__ import annotations

from typing import Iterator

from linter.rule import Campaign, Context, Problem, rule

from ._values import restricted_periods


@rule("CC305", "restricted-period-inverted", "error")
def restricted_period_inverted(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A restricted period's startDate is after its endDate.

    A period covers startDate through endDate, both inclusive (start == end is
    one day). An inverted period covers no day at all: the holiday it was meant
    to protect gets calls.

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
