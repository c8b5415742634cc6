"""Schedule: when the campaign runs, and how often its audience is refreshed."""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta, timezone
from typing import Iterator

from campaign_lint.model import as_str, quote
from campaign_lint.rule import Campaign, Context, Problem, rule

from ._values import create_request

SCHEDULE = "/schedule"


def timestamp(value: object) -> datetime | None:
    """A schedule time as naive UTC: ISO 8601 text or epoch seconds, as botocore takes them."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    return _text_timestamp(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=4096)  # campaigns made from one template share their times
def _text_timestamp(text: str) -> datetime | None:
    from campaign_lint.schema import parse_timestamp

    parsed = parse_timestamp(text)
    if parsed is not None and parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:  # 9999-12-31T23:00-05:00 is past datetime.max in UTC
            ahead = (parsed.utcoffset() or timedelta()) < timedelta()
            parsed = datetime.max if ahead else datetime.min
    return parsed


def _times(campaign: Campaign) -> tuple[datetime | None, datetime | None]:
    schedule = campaign.mapping(SCHEDULE)
    return timestamp(schedule.get("startTime")), timestamp(schedule.get("endTime"))


@rule("CC401", "schedule-inverted", "error")
def schedule_inverted(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """The schedule's startTime is not before its endTime.

    What AWS documents (botocore's service model): a schedule has a required
    startTime and endTime ("Timestamp with no UTC offset or timezone"); nothing
    about their order. What has been observed: the service answering
    "ValidationException: Schedule end time needs to be greater than start
    time" (one production team's bug log).

    What this project decides: an error when startTime is not before endTime,
    as that message says; times with an offset are compared in UTC.

    Fails:

        schedule:
          startTime: "2027-06-30T00:00:00Z"
          endTime: "2027-06-01T00:00:00Z"

    Passes:

        schedule:
          startTime: "2027-06-01T00:00:00Z"
          endTime: "2027-06-30T00:00:00Z"
    """
    start, end = _times(campaign)
    if start is not None and end is not None and start >= end:
        yield Problem(f"{SCHEDULE}/endTime", f"schedule endTime {end.isoformat()} is not after "
                      f"startTime {start.isoformat()}; the service is reported to refuse such a schedule: "
                      "make it end after it starts")


@rule("CC402", "schedule-ended", "warning")
def schedule_ended(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """The schedule's endTime is already past.

    What AWS documents: nothing about a schedule whose end is past. What has
    been observed: a campaign with an expired schedule went to Completed in
    33 seconds with 0 dials (one production team's bug log).

    What this project decides: a warning when endTime is before the start of
    today (``--today`` pins it). The campaign will not run again, and deploying
    it is a no-op that looks like a success; usually last season's file was
    copied without new dates.

    Fails:

        schedule:
          startTime: "2020-01-01T00:00:00Z"
          endTime: "2020-02-01T00:00:00Z"

    Passes:

        schedule:
          startTime: "2099-01-01T00:00:00Z"
          endTime: "2099-02-01T00:00:00Z"
    """
    _, end = _times(campaign)
    if end is not None and end < context.now:
        yield Problem(f"{SCHEDULE}/endTime", f"schedule ended on {end.date().isoformat()}, before "
                      f"today ({context.today.isoformat()}); the campaign will not run")


@rule("CC404", "schedule-starts-in-past", "warning")
def schedule_starts_in_past(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A create-campaign request whose schedule startTime is already past.

    What AWS documents: nothing about a start time in the past. What has been
    observed: StartCampaign fails with "Campaign start time has already passed"
    (a production team's bug log). What this project decides: a warning for
    create-campaign request files only (no ``id`` or ``arn``): describe-campaign
    output and templates are redeployed long after their start, and there a
    past start is normal. Compared with the start of today (``--today`` pins
    it).

    Fails:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        schedule:
          startTime: "2020-01-01T00:00:00Z"
          endTime: "2099-02-01T00:00:00Z"

    Passes:

        name: renewals
        connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
        schedule:
          startTime: "2099-01-01T00:00:00Z"
          endTime: "2099-02-01T00:00:00Z"
    """
    if not create_request(campaign):
        return
    start, _ = _times(campaign)
    if start is not None and start < context.now:
        yield Problem(f"{SCHEDULE}/startTime", f"schedule startTime {start.isoformat()} is before "
                      f"today ({context.today.isoformat()}): StartCampaign fails with \"Campaign "
                      "start time has already passed\"; move the start to a future time")


@functools.lru_cache(maxsize=1)
def _duration_pattern() -> re.Pattern:
    from campaign_lint.schema import model_pattern

    return re.compile(model_pattern("Iso8601Duration"))


def duration_seconds(text: str) -> float | None:
    """Seconds in an ISO 8601 duration of the model's form (PnDTnHnMn.nS), or None."""
    match = _duration_pattern().fullmatch(text)
    if match is None:
        return None
    days, _, hours, minutes, seconds, fraction = match.groups()
    total = sum(int(value or 0) * unit for value, unit in
                ((days, 86400), (hours, 3600), (minutes, 60), (seconds, 1)))
    if fraction:
        total += (-1 if (seconds or "").startswith("-") else 1) * float(f"0.{fraction}")
    return total


@rule("CC403", "bad-refresh-frequency", "error")
def bad_refresh_frequency(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """refreshFrequency is zero or negative.

    What AWS documents (botocore's service model): refreshFrequency is "Time
    duration in ISO 8601 format"; the model's pattern admits zero and signed
    values (P0D, PT0S, P-1D), and nothing says what they do. What has been
    observed from the service: no report yet.

    What this project decides: refreshFrequency is read as how often the
    campaign re-reads its audience (PT12H, P1D), and a zero or negative
    duration, which is no frequency, is an error. A string that is no duration
    at all is CC107's.

    Fails:

        schedule:
          startTime: "2027-06-01T00:00:00Z"
          endTime: "2027-06-30T00:00:00Z"
          refreshFrequency: P0D

    Passes:

        schedule:
          startTime: "2027-06-01T00:00:00Z"
          endTime: "2027-06-30T00:00:00Z"
          refreshFrequency: PT12H
    """
    text = as_str(campaign.mapping(SCHEDULE).get("refreshFrequency"))
    if text is None:
        return
    seconds = duration_seconds(text)
    if seconds is not None and seconds <= 0:
        yield Problem(f"{SCHEDULE}/refreshFrequency", f"refreshFrequency {quote(text)} is "
                      f"{'zero' if seconds == 0 else 'negative'}; use a positive duration like PT12H")
