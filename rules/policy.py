"""Legal calling hours and contact caps: the policy-pack rules (CC701-CC704).

These rules say nothing unless a policy pack is selected (``policies`` in the config,
``--policy`` on the command line, ``per-file-policies``). A pack is data shipped with
campaign-lint (``campaign-lint policies`` lists them, ``campaign-lint explain us-fl`` shows
one with its citation); the engine loads the selected packs and hands them to the rules.
The examples in these docs are checked with ``--policy us-la,us-fl``.

This is not legal advice. Packs cite their source and the date we checked it.
"""

from __future__ import annotations

from typing import Iterator

from campaign_lint.rule import Campaign, Context, Problem, rule

from . import _policy


@rule("CC701", "outside-legal-hours", "error", enabled=False)
def outside_legal_hours(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """Open hours reach outside a selected policy pack's legal hours for some callee.

    What the law says is in the pack: "not before 8 a.m. or after 8 p.m. local
    time in the called person's time zone" (Florida) becomes the window
    08:00-20:00 of the callee's clock. A range that ends exactly at the window's
    end is inside it (T20:00 is not "after 8 p.m."). Each pack cites its source
    and the date it was last checked (2026-11-28 or 2026-11-29 for the packs
    shipped; ``campaign-lint explain us-fl`` shows
    Fla. Stat. 501.616(6)(a)-(b)). Not legal advice.

    On only when a policy pack is selected; the examples use
    ``--policy us-la,us-fl``.

    What AWS documents: with ``localTimeZoneDetection`` each recipient's zone is
    detected (ZIP code, area code) and open hours are that recipient's local
    time; ``defaultTimeZone`` is the zone for all recipients. No fallback order
    between the two is documented.

    What has been observed from the service: one field report says
    CreateCampaign rejects the pair (see CC314); none yet of which clock it
    dials by when both are set, nor of how a detection that finds no zone is
    handled.

    What this project decides, hence what is checked:

    - ``localTimeZoneDetection`` set: open hours are callee-local; each range
      must lie inside the pack's window for its day.
    - only ``defaultTimeZone``: every callee gets that zone's clock, so each
      range must fall inside the window in every zone of the pack's audience, on
      every day of the next 365 days from ``--today`` (daylight saving and
      fixed-offset zones included). The audience is the pack's jurisdiction: for
      the federal US packs (us-tcpa, us-tsr, us-reg-f) the zone database's US
      zones (the 50 states and DC), for a state's pack that state's zones (its
      law governs calls to its residents: us-fl is America/New_York and
      America/Chicago); add territories, widen or narrow it with
      ``audience-zones`` in the config. America/New_York T09:00-T20:00 is 06:00
      in Los Angeles; T14:00-T20:00 fits 08:00-21:00 everywhere all year; T13:00
      is 07:00 in Honolulu in summer.
    - both set: the service's behaviour is undocumented, so both readings are
      checked. A ``localTimeZoneDetection`` not known here (a template's
      parameter without a value, a Terraform expression) is set, as for CC311
      and CC314: the file writes it to detect recipients' zones, and reading it
      as possibly empty would leave the callee-local breaches unsaid.
    - neither usable (no zone set, an unknown zone, a CloudFormation parameter):
      the hours are read as the callee's own clock, so a range outside the
      window as written is reported. A defaultTimeZone not known here (a
      template's parameter without a value) is not read as "no zone": with
      localTimeZoneDetection set, the callee-local reading is made (it holds
      whatever the zone is), and without it nothing is said.
    - a wall time a DST change skips is read with the offset before the change,
      one that happens twice as its first occurrence.
    - offsets are those of the zone database bundled with pytz, on every date:
      pytz's own tables end in 2037, and after them each zone follows its
      current rule as its zone file states it (the POSIX TZ string the file ends
      with, after the changes written out in it: Gaza's and Hebron's until
      2086), as zoneinfo reads it. New York keeps its summer time in 2038 and
      later, for a ``--today`` or an open range of those years; a rule a country
      changes later is known with a later pytz.
    - a pack with a ``statute-clock`` (us-tx: America/Chicago, as sources
      disagree whether Texas means the callee's time or Central time) holds on
      both clocks: a range read on the callee's clock (each audience zone's) or
      the default zone's must also lie inside the hours on the statute's clock.
      El Paso (America/Denver) T20:30 is 21:30 in Chicago.

    A pack applies to the channels it covers (voice: telephony; sms; email).
    Ranges on a day the pack bans for the callee are left to CC702, holidays to
    CC703. The message names the pack, the day, the zone and the local time that
    breaks it, and the citation.

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            localTimeZoneDetection: [ZIP_CODE]
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T07:30, endTime: T20:00}]

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/Los_Angeles
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T09:00, endTime: T20:00}]

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            defaultTimeZone: America/New_York
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T14:00, endTime: T20:00}]
    """
    for active in context.policies(campaign):
        yield from _policy.outside_hours(campaign, active, context.today)


@rule("CC702", "banned-day", "error", enabled=False)
def banned_day(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """Open hours on a weekday a selected policy pack bans.

    What the law says is in the pack: Louisiana, Mississippi, Alabama (automated
    calls), Utah and Australia ban telemarketing calls on Sundays, France on
    Saturdays and Sundays (packs us-la, us-ms, us-al, us-ut, au-telemarketing,
    fr-demarchage; each cites its source, last checked 2026-11-28 (us-la, us-al,
    us-ut and au-telemarketing 2026-11-29), e.g. ``campaign-lint explain us-la``).
    Not legal advice.

    What AWS documents (botocore's service model): dailyHours is keyed by day of
    the week, MONDAY to SUNDAY. What has been observed from the service: no
    report yet.

    What this project decides: an error for open hours on a day a selected pack
    bans, at the day's key in dailyHours, when that day is the callee's: with
    ``localTimeZoneDetection`` (or no usable zone) the campaign's day is the
    callee's. With only ``defaultTimeZone`` the hours are on that zone's clock:
    the day is reported when a range on it reaches the banned day of some callee
    in the pack's audience, as CC701 reads it (UTC SUNDAY T15:00 is Sunday
    morning in Utah; offsets after 2037 too, as CC701 says). A range that
    reaches callees on another day (UTC SUNDAY T01:00 is Saturday evening in the
    US) is not a banned day for them: CC701 checks it against that day's hours
    and CC703 against its holidays, as on any other day. Where a range reaches
    both an hour outside the window and a banned day, the first one met on the
    horizon decides which rule reports it (one finding, not two).

    On only when a policy pack is selected; the examples use ``--policy us-la,us-fl``.

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            localTimeZoneDetection: [ZIP_CODE]
          telephony:
            openHours:
              dailyHours:
                SUNDAY: [{startTime: T12:00, endTime: T17:00}]

    Passes:

        communicationTimeConfig:
          localTimeZoneConfig:
            localTimeZoneDetection: [ZIP_CODE]
          telephony:
            openHours:
              dailyHours:
                SATURDAY: [{startTime: T12:00, endTime: T17:00}]
    """
    for active in context.policies(campaign):
        yield from _policy.banned_days(campaign, active, context.today)


@rule("CC703", "holiday-not-restricted", "error", enabled=False)
def holiday_not_restricted(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """A holiday a selected pack bans is open and no restricted period covers it.

    What the law says is in the pack: us-la (La. R.S. 45:811: no sales calls on
    state holidays), us-al, us-ut, au-telemarketing and fr-demarchage (Code de
    la consommation D.223-9: not on the jours fériés of Code du travail
    L.3133-1) ban holidays; each pack cites its source, last checked
    2026-11-28 (us-la, us-al, us-ut and au-telemarketing 2026-11-29). France's
    holiday list has been checked against its law, Louisiana's against R.S.
    1:55(A)(1) and Utah's against Utah Code 63G-1-301 (those packs add the
    statutory holidays the library lacks), Alabama's against Code of Ala.
    1-3-8(a); Australia's comes from the ``holidays`` library. Not legal advice.

    What AWS documents (botocore's service model): restricted periods are
    calendar dates (YYYY-MM-DD); in which zone they are read is not documented.
    What has been observed from the service: no report yet.

    What this project decides: packs name their banned holidays by the
    ``holidays`` library's country, subdivision and category (US-LA public
    holidays, observed days included; France's 11 jours fériés), by the days
    that are holidays in every subdivision of a country (au-telemarketing: the
    substitute Monday for a weekend Boxing Day), by yearly rules of their own
    (iCalendar RRULE), or list dates.
    Every such holiday of the next 365 days from ``--today`` that falls on a day
    the window is open must be inside a restricted period of that window: an
    error, one finding per window listing the dates. Dates are calendar dates of
    the campaign, as restricted periods are: with ``localTimeZoneDetection`` the
    callee's date is the campaign's; with ``defaultTimeZone`` a range can reach
    the callee's holiday on another campaign date (UTC Tuesday 00:00-01:00 is
    Monday evening in the US, so a Monday holiday needs the Tuesday restricted),
    and every audience zone is checked, as for CC701 (offsets after 2037
    included: each zone's current rule, as CC701 says). A pack with a
    ``statute-clock`` bans its holidays on that clock too, as CC701 reads its
    hours there: a range on the clock it is written for (each audience zone's,
    the default zone's) must not reach a holiday of the statute clock's date
    (America/Denver SUNDAY T23:00 is Monday 00:00 in Chicago: a Monday holiday
    on Chicago's clock needs the Sunday restricted). Holidays declared ad hoc
    (a governor's proclamation) are not in any list: add them as restricted
    periods yourself.

    On only when a policy pack is selected; the examples use ``--policy
    us-la,us-fl``. The passing example restricts the holidays of one year, so it
    passes only for a ``--today`` whose next 365 days hold no other: its first
    line names the date it is checked with. The failing one fails on any date
    (Louisiana has Monday holidays every year).

    Fails:

        communicationTimeConfig:
          localTimeZoneConfig:
            localTimeZoneDetection: [ZIP_CODE]
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T09:00, endTime: T17:00}]

    Passes:

        # dated: lint it with --today 2026-11-29 (these are the us-la Monday holidays of the year from then)
        communicationTimeConfig:
          localTimeZoneConfig:
            localTimeZoneDetection: [ZIP_CODE]
          telephony:
            openHours:
              dailyHours:
                MONDAY: [{startTime: T09:00, endTime: T17:00}]
            restrictedPeriods:
              restrictedPeriodList:
                - {name: Martin Luther King Jr. Day, startDate: 2027-01-18, endDate: 2027-01-18}
                - {name: Washington's Birthday, startDate: 2027-02-15, endDate: 2027-02-15}
                - {name: Memorial Day, startDate: 2027-05-31, endDate: 2027-05-31}
                - {name: Independence Day observed, startDate: 2027-07-05, endDate: 2027-07-05}
                - {name: Huey P. Long Day, startDate: 2027-08-30, endDate: 2027-08-30}
                - {name: Labor Day, startDate: 2027-09-06, endDate: 2027-09-06}
                - {name: Columbus Day, startDate: 2027-10-11, endDate: 2027-10-11}
                - {name: All Saints' Day, startDate: 2027-11-01, endDate: 2027-11-01}
    """
    for active in context.policies(campaign):
        yield from _policy.open_holidays(campaign, active, context.today)


@rule("CC704", "contact-cap", "warning", enabled=False, options={"all-caps": False})
def contact_cap(campaign: Campaign, context: Context) -> Iterator[Problem]:
    """No communication limit, or limits looser than a selected pack's contact cap.

    What the law says is in the pack: caps such as Florida's 3 calls per 24
    hours on one subject (Fla. Stat. 501.616(6)(b)), France's 4 calls per 30
    days (Code de la consommation D.223-9) and Regulation F's 7 calls per 7
    days (12 CFR 1006.14(b)(2)); each pack cites its source, last checked
    2026-11-28. Not legal advice.

    What AWS documents: a communication limit is maxCountPerRecipient contacts
    per frequency days (botocore's service model: unit DAY only, frequency
    1-30, at most 2 limits, under allChannelSubtypes); instanceLimitsHandling is
    "Opt-in or Opt-out from instance-level limits" (API reference,
    CommunicationLimitsConfig), with no default documented. Whether a day is a
    calendar day or a rolling 24 hours is not documented. What has been
    observed from the service: no report yet.

    What this project decides: a warning when no limit applies or the limits
    are looser than a selected pack's cap. The campaign's limits count and,
    with ``instanceLimitsHandling: OPT_IN``, the instance's (an account audit
    reads them; a file cannot show them, and the finding says so). Without
    instanceLimitsHandling the instance's limits are not counted: a legal cap
    is not met by a guess. A limit of c per f days allows at most c x ceil(D /
    f) contacts in D days (c when f > D); the strictest limit counts. Connect's
    days are read as calendar days, the reading that allows more: 3 per 1 DAY
    still allows 6 calls within 24 hours across midnight. Each cap names the
    closest Connect limit and whether it is exact, and the finding says when it
    is not; for a cap per rolling 24 hours the pack asks for N per 2 DAY, the
    closest limit that never allows more than N within 24 hours. Caps of a
    narrower scope than the pack (the TCPA's 3 per 30 days for certain exempt
    prerecorded calls) are checked only with the option ``all-caps = true``; a
    cap for answering-machine detection applies when AMD is on.

    On only when a policy pack is selected; the examples use ``--policy us-la,us-fl``.

    Fails:

        channelSubtypeConfig:
          telephony: {connectQueueId: q-1}
        communicationLimitsOverride:
          allChannelSubtypes:
            communicationLimitsList:
              - {maxCountPerRecipient: 5, frequency: 1, unit: DAY}

    Passes:

        channelSubtypeConfig:
          telephony: {connectQueueId: q-1}
        communicationLimitsOverride:
          allChannelSubtypes:
            communicationLimitsList:
              - {maxCountPerRecipient: 3, frequency: 2, unit: DAY}
    """
    for active in context.policies(campaign):
        yield from _policy.contact_caps(campaign, active, bool(context.options.get("all-caps")), context)
