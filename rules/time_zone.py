"""Time zones: the zone in which open hours are read."""

from __future__ import annotations

from typing import Iterator

from linter.model import as_str, quote
from linter.rule import Campaign, Context, Problem, rule

ZONE_POINTER = "/communicationTimeConfig/localTimeZoneConfig/defaultTimeZone"


@rule("CC309", "unknown-time-zone", "error")
def unknown_time_zone(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """defaultTimeZone is not a zone of the IANA time zone database.

    Open hours are read in this zone. An unknown zone (``Eastern``,
    ``America/NewYork``, ``GMT+5``) is rejected, or worse, read as something you
    did not mean. Names are case-sensitive. The zone database bundled with pytz
    decides which zones exist.

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/NewYork

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/New_York
    """
    import pytz

    from linter.schema import did_you_mean

    zone = as_str(campaign.get(ZONE_POINTER))
    if zone is None or zone in pytz.all_timezones_set:
        return
    hint = did_you_mean(zone, list(pytz.all_timezones))
    yield Problem(ZONE_POINTER, f"defaultTimeZone {quote(zone)} is not an IANA time zone{hint}")
