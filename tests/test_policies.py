"""Policy packs and the CC7xx rules: each pack against the text it cites, the two readings of
open hours, holidays, caps, opting in, and the outputs that carry the citation."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_lint.policies import legal_window, load_packs
from campaign_lint.policies.pack import ANNUAL_RULE

from .conftest import FIXTURES, ROOT, TODAY, findings_of, lint_text, run_cli
from .test_audit import aws_env, service  # noqa: F401  (fixtures: the fake service on 127.0.0.1)

PACKS = load_packs()
TELEPHONY = "channelSubtypeConfig:\n  telephony: {connectQueueId: q-1}\n"


def campaign(days: dict[str, list[tuple[str, str]]], *, zone: str | None = None, detect: bool = True,
             channel: str = "telephony", extra: str = "") -> str:
    """A campaign whose ``channel`` is open on ``days`` (callee-local unless only ``zone``)."""
    lines = ["name: policy-test", "communicationTimeConfig:", "  localTimeZoneConfig:"]
    if zone:
        lines.append(f"    defaultTimeZone: {zone}")
    if detect:
        lines.append("    localTimeZoneDetection: [ZIP_CODE]")
    if not zone and not detect:
        lines[-1] += " {}"
    lines += [f"  {channel}:", "    openHours:", "      dailyHours:"]
    for day, ranges in days.items():
        items = ", ".join(f"{{startTime: T{a}, endTime: T{b}}}" for a, b in ranges)
        lines.append(f"        {day}: [{items}]")
    return "\n".join(lines) + "\n" + extra


def check(tmp_path, text: str, policy: str, *extra: str):
    return lint_text(tmp_path, text, "campaign.yaml", "--policy", policy, *extra)


def minus(clock: str, minutes: int) -> str:
    hours, mins = map(int, clock.split(":"))
    total = hours * 60 + mins - minutes
    return f"{total // 60:02d}:{total % 60:02d}"


# --- every shipped pack against the text it cites ---------------------------------------------------
# (pack, day, allowed start, allowed end): from the cited text, not from the pack file.
CITED_HOURS = [
    ("us-tcpa", "SUNDAY", "08:00", "21:00"),      # "before the hour of 8 a.m. or after 9 p.m."
    ("us-tsr", "MONDAY", "08:00", "21:00"),       # "between 8:00 a.m. and 9:00 p.m. local time"
    ("us-reg-f", "SATURDAY", "08:00", "21:00"),   # "before 8:00 a.m. and after 9:00 p.m. ... inconvenient"
    ("us-fl", "SUNDAY", "08:00", "20:00"),        # "before 8 a.m. or after 8 p.m. local time"
    ("us-ok", "MONDAY", "08:00", "20:00"),        # 8 a.m.-8 p.m. (secondary sources)
    ("us-md", "MONDAY", "08:00", "20:00"),        # 8 a.m.-8 p.m. in the called party's time zone
    ("us-wa", "SUNDAY", "08:00", "20:00"),        # "before 8:00 a.m. or after 8:00 p.m."
    ("us-tx", "MONDAY", "09:00", "21:00"),        # Mon-Sat 9 a.m.-9 p.m.
    ("us-tx", "SUNDAY", "12:00", "21:00"),        # Sunday noon-9 p.m.
    ("us-la", "SATURDAY", "08:00", "20:00"),      # "8:00 a.m. and 8:00 p.m., Monday through Saturday"
    ("us-ms", "MONDAY", "09:00", "20:00"),        # "8:00 a.m. and 8:00 p.m. Central Standard Time": 09:00 CDT
    ("us-al", "MONDAY", "08:00", "20:00"),        # "prior to 8 a.m. or after 8 p.m."
    ("us-ut", "SATURDAY", "08:00", "21:00"),      # "between the hours of 9 p.m. and 8 a.m."
    ("ca-crtc", "FRIDAY", "09:00", "21:30"),      # weekdays 9:00 a.m.-9:30 p.m.
    ("ca-crtc", "SATURDAY", "10:00", "18:00"),    # weekends 10:00 a.m.-6:00 p.m.
    ("au-telemarketing", "MONDAY", "09:00", "20:00"),   # weekdays 9 am-8 pm
    ("au-telemarketing", "SATURDAY", "09:00", "17:00"),  # Saturdays 9 am-5 pm
    ("fr-demarchage", "MONDAY", "10:00", "13:00"),  # "de 10 heures à 13 heures
    ("fr-demarchage", "FRIDAY", "14:00", "20:00"),  #  et de 14 heures à 20 heures"
]
# (pack, banned weekday) from the cited text
CITED_BANNED_DAYS = [("us-la", "SUNDAY"), ("us-ms", "SUNDAY"), ("us-al", "SUNDAY"), ("us-ut", "SUNDAY"),
                     ("au-telemarketing", "SUNDAY"), ("fr-demarchage", "SATURDAY"),
                     ("fr-demarchage", "SUNDAY")]


def test_every_shipped_pack_is_tested_against_its_text():
    required = {"us-tcpa", "us-tsr", "us-reg-f", "us-fl", "us-ok", "us-md", "us-wa", "us-tx", "us-la",
                "us-ms", "us-al", "us-ut", "ca-crtc", "au-telemarketing", "fr-demarchage", "uk-ofcom"}
    assert required <= set(PACKS)
    tested = {p for p, *_ in CITED_HOURS} | {"uk-ofcom"}  # uk-ofcom: no hours, see its own test
    assert tested == set(PACKS)
    for pack in PACKS.values():
        assert pack.citation and pack.source_url.startswith("https://") and pack.confidence
        date.fromisoformat(pack.last_checked)


def check_on_clock(tmp_path, text: str, policy: str):
    """Lint as ``check`` does; for a pack with a statute clock, with callees on that clock only
    (where the callee's clock and the statute's are one, the cited window is exact)."""
    clock = PACKS[policy].statute_clock
    if clock is None:
        return check(tmp_path, text, policy)
    (tmp_path / "audience.toml").write_text(f'audience-zones = ["{clock}"]\n')
    (tmp_path / "campaign.yaml").write_text(text)
    return run_cli("check", "--config", str(tmp_path / "audience.toml"), "--today", TODAY, "--format", "json",
                   "--policy", policy, str(tmp_path / "campaign.yaml"))


@pytest.mark.parametrize("pack,day,start,end", CITED_HOURS, ids=lambda v: str(v))
def test_cited_window_passes_and_one_minute_outside_fails(tmp_path, pack, day, start, end):
    assert "CC701" not in check_on_clock(tmp_path, campaign({day: [(start, end)]}), pack).rules()
    early = check_on_clock(tmp_path, campaign({day: [(minus(start, 1), end)]}), pack)
    [finding] = findings_of(early, "CC701")
    assert f"open at {minus(start, 1)} callee-local" in finding["message"] and pack in finding["message"]
    assert finding["pointer"] == f"/communicationTimeConfig/telephony/openHours/dailyHours/{day}/0"
    late = check_on_clock(tmp_path, campaign({day: [(start, minus(end, -1))]}), pack)
    assert f"open at {end} callee-local" in findings_of(late, "CC701")[0]["message"]


@pytest.mark.parametrize("pack,day", CITED_BANNED_DAYS, ids=lambda v: str(v))
def test_cited_banned_day_is_reported_at_the_day_key(tmp_path, pack, day):
    run = check(tmp_path, campaign({day: [("12:00", "13:00")]}), pack)
    [finding] = findings_of(run, "CC702")
    assert finding["pointer"] == f"/communicationTimeConfig/telephony/openHours/dailyHours/{day}"
    assert (finding["line"], finding["column"]) == (8, 9)  # the key, not its value
    assert "CC701" not in run.rules()  # one finding for one mistake
    other = "MONDAY" if day != "MONDAY" else "TUESDAY"
    assert "CC702" not in check(tmp_path, campaign({other: [("12:00", "13:00")]}), pack).rules()


def test_texas_hours_hold_on_the_callees_clock_and_on_central_time(tmp_path):
    # Mountain-time El Paso: T20:30 local is 21:30 in Chicago, past 21:00 on the statute's clock
    late = campaign({"SATURDAY": [("09:00", "21:00")]})
    [finding] = findings_of(check(tmp_path, late, "us-tx"), "CC701")
    assert "on America/Denver's clock reaches 21:00 in America/Chicago" in finding["message"]
    assert "09:00-21:00 on Saturday read on America/Chicago's clock" in finding["message"]
    assert "CC701" not in check(tmp_path, campaign({"SATURDAY": [("09:00", "20:00")]}), "us-tx").rules()
    # the default zone's clock too: Denver T20:00-T20:30 is legal for Denver callees on their clock,
    # and 21:00-21:30 in Chicago for the same callees read on Central time
    default = campaign({"MONDAY": [("20:00", "20:30")]}, zone="America/Denver", detect=False)
    [finding] = findings_of(check(tmp_path, default, "us-tx"), "CC701")
    assert "reaches 21:00 in America/Chicago" in finding["message"]


def test_french_lunch_break_is_outside(tmp_path):
    [finding] = findings_of(check(tmp_path, campaign({"TUESDAY": [("12:00", "14:00")]}), "fr-demarchage"), "CC701")
    assert "open at 13:00" in finding["message"] and "10:00-13:00 and 14:00-20:00" in finding["message"]


def test_uk_ofcom_sets_no_hours_but_caps_repeat_calls_after_answering_machine_detection(tmp_path):
    amd = ("channelSubtypeConfig:\n  telephony:\n    connectQueueId: q-1\n    defaultOutboundConfig:\n"
           "      answerMachineDetectionConfig: {enableAnswerMachineDetection: %s}\n"
           "communicationLimitsOverride:\n  allChannelSubtypes:\n    communicationLimitsList:\n"
           "      - {maxCountPerRecipient: %d, frequency: 1, unit: DAY}\n")
    night = campaign({"SUNDAY": [("00:00", "24:00")]}, extra=amd % ("true", 2))
    run = check(tmp_path, night, "uk-ofcom")
    assert not {"CC701", "CC702", "CC703"} & set(run.rules())
    [finding] = findings_of(run, "CC704")
    assert "1 per 24 hours" in finding["message"] and "cannot express this cap exactly" in finding["message"]
    # 1 per 1 DAY still allows a second call within 24 hours, across midnight
    assert "CC704" in check(tmp_path, campaign({}, extra=amd % ("true", 1)), "uk-ofcom").rules()
    one_per_two_days = amd.replace("frequency: 1", "frequency: 2") % ("true", 1)
    assert "CC704" not in check(tmp_path, campaign({}, extra=one_per_two_days), "uk-ofcom").rules()
    assert "CC704" not in check(tmp_path, campaign({}, extra=amd % ("false", 2)), "uk-ofcom").rules()


# --- the default zone's clock in every audience zone -------------------------------------------------

def test_new_york_nine_am_is_six_am_in_los_angeles(tmp_path):
    config = tmp_path / ".campaign-lint.toml"
    config.write_text('audience-zones = ["America/New_York", "America/Los_Angeles"]\n')
    (tmp_path / "c.yaml").write_text(campaign({"MONDAY": [("09:00", "20:00")]}, zone="America/New_York",
                                              detect=False))
    run = run_cli("check", "--config", str(config), "--today", TODAY, "--format", "json", "--policy",
                  "us-tcpa", str(tmp_path / "c.yaml"))
    [finding] = findings_of(run, "CC701")
    assert "reaches 06:00 in America/Los_Angeles (Monday 2026-11-30)" in finding["message"]
    assert finding["properties"] == {"policy": "us-tcpa", "citation": "47 CFR 64.1200(c)(1), (e)"}


def test_afternoon_on_new_york_clock_fits_tcpa_everywhere_all_year(tmp_path):
    text = campaign({d: [("14:00", "20:00")] for d in ("MONDAY", "SATURDAY", "SUNDAY")},
                    zone="America/New_York", detect=False)
    assert "CC701" not in check(tmp_path, text, "us-tcpa").rules()


def test_a_state_pack_checks_the_states_own_zones(tmp_path):
    # Florida's law governs calls to Floridians: 09:00 on a New York clock is 06:00 in Los
    # Angeles, which is no business of us-fl (it was reported while its audience was all US zones)
    nine_to_eight = campaign({"MONDAY": [("09:00", "20:00")]}, zone="America/New_York", detect=False)
    assert "CC701" not in check(tmp_path, nine_to_eight, "us-fl").rules()
    assert "CC701" in check(tmp_path, nine_to_eight, "us-tcpa").rules()  # federal: every US zone
    # the panhandle is Central: 08:00 in New York is 07:00 there
    eight = campaign({"MONDAY": [("08:00", "20:00")]}, zone="America/New_York", detect=False)
    [finding] = findings_of(check(tmp_path, eight, "us-fl"), "CC701")
    assert "reaches 07:00 in America/Chicago" in finding["message"]


def test_one_pm_new_york_is_seven_am_in_honolulu_in_summer(tmp_path):
    text = campaign({"MONDAY": [("13:00", "20:00")]}, zone="America/New_York", detect=False)
    [finding] = findings_of(check(tmp_path, text, "us-tcpa"), "CC701")
    assert "reaches 07:00 in Pacific/Honolulu (Monday 2027-03-15)" in finding["message"]
    assert "also in" not in finding["message"]  # Adak keeps daylight saving time: 08:00 there


def test_audience_zones_add_territories_and_remove_zones(tmp_path):
    text = campaign({"MONDAY": [("08:00", "20:00")]}, zone="America/Puerto_Rico", detect=False)
    config = tmp_path / ".campaign-lint.toml"
    (tmp_path / "c.yaml").write_text(text)

    def run(zones: str):
        config.write_text(f"audience-zones = {zones}\n")
        return run_cli("check", "--config", str(config), "--today", TODAY, "--format", "json",
                       "--policy", "us-fl", str(tmp_path / "c.yaml"))

    assert "CC701" not in run('["America/Puerto_Rico"]').rules()
    assert "CC701" in run('["+PR"]').rules()  # the 50 states, DC and Puerto Rico: 07:00 in New York
    assert "CC701" not in run('["America/Puerto_Rico", "America/New_York", "-America/New_York"]').rules()
    bad = run('["America/Puerto_Rco"]')
    assert bad.code == 2 and '"America/Puerto_Rico"' in bad.err


def test_both_settings_check_both_readings(tmp_path):
    text = campaign({"MONDAY": [("08:00", "20:00")]}, zone="America/New_York", detect=True)
    messages = [f["message"] for f in findings_of(check(tmp_path, text, "us-fl"), "CC701")]
    assert len(messages) == 1 and "America/New_York's clock" in messages[0]  # callee-local is fine
    early = campaign({"MONDAY": [("07:00", "20:00")]}, zone="America/Los_Angeles", detect=True)
    messages = [f["message"] for f in findings_of(check(tmp_path, early, "us-fl"), "CC701")]
    assert len(messages) == 2 and "callee-local" in messages[0] + messages[1]


def test_a_pack_checks_only_the_channels_it_covers(tmp_path):
    email = campaign({"MONDAY": [("07:00", "22:00")]}, channel="email")
    assert "CC701" in check(tmp_path, email, "us-reg-f").rules()  # Regulation F: every medium
    assert "CC701" not in check(tmp_path, email, "us-fl").rules()  # Florida: calls and texts


# --- holidays -------------------------------------------------------------------------------------------

def test_louisiana_holidays_are_listed_once_per_window(tmp_path):
    tuesday = campaign({"TUESDAY": [("09:00", "17:00")]})
    [finding] = findings_of(check(tmp_path, tuesday, "us-la"), "CC703")
    assert "2027-02-09 (Mardi Gras)" in finding["message"]
    assert finding["pointer"] == "/communicationTimeConfig/telephony/restrictedPeriods"
    restricted = tuesday.replace("    openHours:", "    restrictedPeriods:\n      restrictedPeriodList:\n"
                                 "        - {startDate: 2027-02-09, endDate: 2027-02-09}\n    openHours:")
    rest = findings_of(check(tmp_path, restricted, "us-la"), "CC703")
    assert all("Mardi Gras" not in f["message"] for f in rest)


def test_a_banned_weekday_on_the_default_zones_clock_is_banned_only_where_it_is_the_callees(tmp_path):
    # UTC Sunday 01:00-02:00 is Saturday 18:00-19:00 (19:00-20:00 in summer) in Utah: legal
    evening = campaign({"SUNDAY": [("01:00", "02:00")]}, zone="UTC", detect=False)
    assert not {"CC701", "CC702"} & set(check(tmp_path, evening, "us-ut").rules())
    # UTC Sunday 15:00-16:00 is Sunday morning in Utah: CC702 at the day, naming the callee's zone
    morning = campaign({"SUNDAY": [("15:00", "16:00")]}, zone="UTC", detect=False)
    run = check(tmp_path, morning, "us-ut")
    [finding] = findings_of(run, "CC702")
    assert "open on SUNDAY on UTC's clock, which is Sunday in America/Denver" in finding["message"]
    assert "CC701" not in run.rules()
    # read as the callee's own clock (localTimeZoneDetection), Sunday is Sunday
    [finding] = findings_of(check(tmp_path, campaign({"SUNDAY": [("01:00", "02:00")]}), "us-ut"), "CC702")
    assert finding["message"].startswith("telephony is open on SUNDAY, a day us-ut bans")
    # Saturday hours reached from a UTC Sunday are checked as Saturday's: 21:00 in Utah in winter
    late = campaign({"SUNDAY": [("03:00", "05:00")]}, zone="UTC", detect=False)
    [finding] = findings_of(check(tmp_path, late, "us-ut"), "CC701")
    assert "(Saturday " in finding["message"] and "08:00-21:00 on Saturday" in finding["message"]


def test_detection_from_a_template_parameter_is_read_as_possibly_set(tmp_path):
    # the parameter's value is not known here: both readings apply, so Sunday is Sunday for a
    # callee whose zone is detected (was: read on the UTC clock only, Saturday evening in Utah)
    text = """\
Parameters:
  Detect: {Type: CommaDelimitedList}
Resources:
  Campaign:
    Type: AWS::ConnectCampaignsV2::Campaign
    Properties:
      Name: c
      ConnectInstanceId: arn:aws:connect:us-east-1:123456789012:instance/9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
      CommunicationTimeConfig:
        LocalTimeZoneConfig: {DefaultTimeZone: UTC, LocalTimeZoneDetection: !Ref Detect}
        Telephony:
          OpenHours:
            DailyHours: [{Key: SUNDAY, Value: [{StartTime: "T01:00", EndTime: "T02:00"}]}]
"""
    run = lint_text(tmp_path, text, "stack.yaml", "--policy", "us-ut")
    [finding] = findings_of(run, "CC702")
    assert "remove SUNDAY" in finding["message"]
    # a malformed plain value is not a parameter: unset, as CC314 reads it (CC103 reports it);
    # UTC Sunday 01:00 stays Saturday evening in Utah
    plain = campaign({"SUNDAY": [("01:00", "02:00")]}, zone="UTC", detect=False).replace(
        "    defaultTimeZone: UTC", "    defaultTimeZone: UTC\n    localTimeZoneDetection: ZIP_CODE")
    assert "CC702" not in lint_text(tmp_path, plain, "plain.yaml", "--policy", "us-ut").rules()


def test_a_default_zone_on_the_statute_clock_is_checked_on_it_whatever_the_audience(tmp_path):
    # Chicago T20:00-T22:00 is past 21:00 on Texas's statute clock, even for callees in Denver only
    (tmp_path / "audience.toml").write_text('audience-zones = { us-tx = ["America/Denver"] }\n')
    (tmp_path / "c.yaml").write_text(campaign({"MONDAY": [("20:00", "22:00")]}, zone="America/Chicago",
                                              detect=False))
    run = run_cli("check", "--config", str(tmp_path / "audience.toml"), "--today", TODAY, "--format", "json",
                  "--policy", "us-tx", str(tmp_path / "c.yaml"))
    [finding] = findings_of(run, "CC701")
    assert "reaches 21:00 in America/Chicago" in finding["message"]


def _statute_holiday_pack(tmp_path) -> str:
    """A pack that bans Memorial Day 2027 (Monday 2027-05-31) on Chicago's clock as well as the
    callee's, for callees in Denver; no hours, so only CC703 has something to say. Its config."""
    (tmp_path / "packs").mkdir()
    pack = _own_pack(id="acme", audience=["America/Denver"], holidays={"dates": ["2027-05-31"]},
                     **{"statute-clock": "America/Chicago"})
    del pack["hours"]
    (tmp_path / "packs" / "acme.json").write_text(json.dumps(pack))
    (tmp_path / ".campaign-lint.toml").write_text('policy-dirs = ["packs"]\npolicies = ["acme"]\n')
    return str(tmp_path / ".campaign-lint.toml")


@pytest.mark.parametrize("zone,day,start,end,listed", [
    # Denver Sunday 23:00-24:00 (the callee's own clock, or the default zone's) is Monday
    # 00:00-01:00 on Chicago's clock: Memorial Day there
    (None, "SUNDAY", "23:00", "24:00", "2027-05-30 (holiday listed in the pack 2027-05-31 on America/Chicago's"),
    ("America/Denver", "SUNDAY", "23:00", "24:00",
     "2027-05-30 (holiday listed in the pack 2027-05-31 on America/Chicago's"),
    # a default zone on the statute clock: Monday 00:00-01:00 is still Sunday for the Denver callees
    ("America/Chicago", "MONDAY", "00:00", "01:00", "2027-05-31 (holiday listed in the pack on America/Chicago's"),
], ids=["callee-local", "default-zone", "default-zone-on-the-statute-clock"])
def test_a_holiday_on_the_statute_clock_is_banned_as_its_hours_are(tmp_path, zone, day, start, end, listed):
    # CC701 reads a pack's hours and banned weekdays on its statute clock too; CC703 read its
    # holidays on the callee's clock only, so these ranges passed
    config = _statute_holiday_pack(tmp_path)
    text = campaign({day: [(start, end)]}, zone=zone, detect=zone is None)
    (tmp_path / "c.yaml").write_text(text)
    run = run_cli("check", "--config", config, "--today", TODAY, "--format", "json", str(tmp_path / "c.yaml"))
    [finding] = findings_of(run, "CC703")
    assert listed in finding["message"], finding["message"]
    assert not findings_of(run, "CC701")
    # restricting the campaign's date the finding names is the fix
    (tmp_path / "c.yaml").write_text(text.replace("    openHours:", "    restrictedPeriods:\n      restrictedPeriodList:\n"
                                                  f"        - {{startDate: {listed[:10]}, endDate: {listed[:10]}}}\n"
                                                  "    openHours:"))
    run = run_cli("check", "--config", config, "--today", TODAY, "--format", "json", str(tmp_path / "c.yaml"))
    assert not findings_of(run, "CC703")


def test_the_legal_window_leaves_out_a_holiday_on_the_statute_clock(tmp_path):
    from campaign_lint.policies.pack import read_pack

    _statute_holiday_pack(tmp_path)
    pack, utc = read_pack(str(tmp_path / "packs" / "acme.json")), timezone.utc
    # Sunday 2027-05-30 in Denver (MDT) ends at 23:00 local: Memorial Day begins on Chicago's clock
    assert legal_window(pack, date(2027, 5, 30), "America/Denver") == [
        (datetime(2027, 5, 30, 6, tzinfo=utc), datetime(2027, 5, 31, 5, tzinfo=utc))]
    assert legal_window(pack, date(2027, 5, 30), "America/Denver", holidays=False) == [
        (datetime(2027, 5, 30, 6, tzinfo=utc), datetime(2027, 5, 31, 6, tzinfo=utc))]
    assert legal_window(pack, date(2027, 5, 31), "America/Denver") == []


def test_a_pack_without_hours_still_bans_its_days_on_a_default_zones_clock(tmp_path):
    # Tokyo Monday 09:00 is Sunday 17:00 in Denver: a pack that bans Sundays and sets no hours
    (tmp_path / "packs").mkdir()
    pack = _own_pack(id="acme", audience=["America/Denver"], **{"banned-days": ["SUNDAY"]})
    del pack["hours"]
    (tmp_path / "packs" / "acme.json").write_text(json.dumps(pack))
    (tmp_path / ".campaign-lint.toml").write_text('policy-dirs = ["packs"]\npolicies = ["acme"]\n')
    (tmp_path / "c.yaml").write_text(campaign({"MONDAY": [("09:00", "10:00")]}, zone="Asia/Tokyo", detect=False))
    run = run_cli("check", "--config", str(tmp_path / ".campaign-lint.toml"), "--today", TODAY, "--format",
                  "json", str(tmp_path / "c.yaml"))
    [finding] = findings_of(run, "CC701")
    assert "reaches 17:00 in America/Denver (Sunday" in finding["message"]


def test_french_public_holidays_come_from_the_labour_code_list(tmp_path):
    pack = PACKS["fr-demarchage"]
    dates = pack.holiday_dates(date(2027, 1, 1), date(2027, 12, 31))
    assert sorted(dates) == [date(2027, 1, 1), date(2027, 3, 29), date(2027, 5, 1), date(2027, 5, 6),
                             date(2027, 5, 8), date(2027, 5, 17), date(2027, 7, 14), date(2027, 8, 15),
                             date(2027, 11, 1), date(2027, 11, 11), date(2027, 12, 25)]  # L.3133-1: 11 days
    [finding] = findings_of(check(tmp_path, campaign({"THURSDAY": [("10:00", "13:00")]}), "fr-demarchage"),
                            "CC703")
    assert "2027-05-06 (Ascension Day)" in finding["message"]


def test_holiday_names_do_not_follow_the_users_locale(tmp_path, monkeypatch):
    # left to the holidays library, names follow gettext's environment: LANG=fr_FR gave French
    # names, and LANG=C.UTF-8 gave English on Python 3.11 but French on 3.13
    from campaign_lint.policies.pack import _library_holidays

    def messages(environment: dict) -> list[str]:
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        _library_holidays.cache_clear()
        try:
            found = findings_of(check(tmp_path, campaign({"THURSDAY": [("10:00", "13:00")]}), "fr-demarchage",
                                      "--no-cache"), "CC703")
            found += findings_of(check(tmp_path, campaign({"MONDAY": [("10:00", "13:00")]}, zone="Australia/Sydney"),
                                       "au-telemarketing", "--no-cache"), "CC703")
        finally:
            _library_holidays.cache_clear()
        return [f["message"] for f in found]

    english = messages({})
    assert "2027-05-06 (Ascension Day)" in english[0] and "2027-03-29 (Easter Monday)" in english[1]
    for environment in ({"LANGUAGE": "fr"}, {"LANG": "fr_FR.UTF-8"}, {"LANG": "C.UTF-8"}, {"LC_ALL": "de_DE.UTF-8"}):
        assert messages(environment) == english, environment


def test_legal_window_answers_for_a_pack_a_date_and_a_zone():
    utc = timezone.utc
    assert legal_window(PACKS["us-la"], date(2027, 7, 5), "America/Chicago") == []  # observed holiday
    assert legal_window(PACKS["us-la"], date(2027, 7, 4), "America/Chicago") == []  # Sunday
    assert legal_window(PACKS["us-fl"], date(2027, 7, 5), "America/Chicago") == [
        (datetime(2027, 7, 5, 13, tzinfo=utc), datetime(2027, 7, 6, 1, tzinfo=utc))]
    assert legal_window(PACKS["uk-ofcom"], date(2027, 7, 5), "Europe/London") == [
        (datetime(2027, 7, 4, 23, tzinfo=utc), datetime(2027, 7, 5, 23, tzinfo=utc))]
    # us-tx's statute clock: 09:00-21:00 in Chicago (CST), 09:00-20:00 for El Paso (MST)
    assert legal_window(PACKS["us-tx"], date(2026, 12, 5), "America/Chicago") == [
        (datetime(2026, 12, 5, 15, tzinfo=utc), datetime(2026, 12, 6, 3, tzinfo=utc))]
    assert legal_window(PACKS["us-tx"], date(2026, 12, 5), "America/Denver") == [
        (datetime(2026, 12, 5, 16, tzinfo=utc), datetime(2026, 12, 6, 3, tzinfo=utc))]


# --- caps -----------------------------------------------------------------------------------------------------

def limits(*items: tuple[int, int], handling: str | None = None) -> str:
    text = "communicationLimitsOverride:\n"
    if handling:
        text += f"  instanceLimitsHandling: {handling}\n"
    if items:
        text += "  allChannelSubtypes:\n    communicationLimitsList:\n"
        text += "".join(f"      - {{maxCountPerRecipient: {c}, frequency: {f}, unit: DAY}}\n" for c, f in items)
    return TELEPHONY + text


@pytest.mark.parametrize("pack,ok,too_many", [
    ("us-fl", [(3, 2)], [(4, 1)]), ("us-ok", [(3, 2)], [(4, 1)]), ("us-md", [(3, 1), (1, 30)], [(6, 2)]),
    # "more than three ... over a 24-hour period": 3 per 1 DAY allows 3 at 23:00 and 3 at 00:30
    ("us-fl", [(2, 1), (3, 2)], [(3, 1)]), ("us-md", [(3, 2)], [(3, 1)]), ("us-ok", [(1, 1)], [(3, 1)]),
    ("us-reg-f", [(1, 1)], [(2, 1)]), ("fr-demarchage", [(1, 8)], [(1, 7)]),
    ("fr-demarchage", [(4, 30)], [(2, 7)])])
def test_caps_from_the_cited_text(tmp_path, pack, ok, too_many):
    assert "CC704" not in check(tmp_path, limits(*ok), pack).rules()
    [finding] = findings_of(check(tmp_path, limits(*too_many), pack), "CC704")
    assert finding["severity"] == "warning"
    assert finding["pointer"].startswith("/communicationLimitsOverride/allChannelSubtypes/communicationLimitsList/")


def test_no_limit_at_all_and_opt_in_from_a_file(tmp_path):
    [none] = findings_of(check(tmp_path, TELEPHONY, "us-fl"), "CC704")
    assert "no communication limit applies" in none["message"] and "rolling" in none["message"]
    [opt_in] = findings_of(check(tmp_path, limits(handling="OPT_IN"), "us-fl"), "CC704")
    assert "not in a file" in opt_in["message"]


def test_tcpa_exempt_call_cap_is_off_unless_all_caps(tmp_path):
    assert "CC704" not in check(tmp_path, TELEPHONY, "us-tcpa").rules()
    config = tmp_path / ".campaign-lint.toml"
    config.write_text('[rule-options.CC704]\nall-caps = true\n')
    (tmp_path / "c.yaml").write_text(TELEPHONY)
    run = run_cli("check", "--config", str(config), "--today", TODAY, "--format", "json", "--policy",
                  "us-tcpa", str(tmp_path / "c.yaml"))
    assert len(findings_of(run, "CC704")) == 2


# --- opting in ---------------------------------------------------------------------------------------------

def test_policy_rules_are_off_unless_a_pack_is_selected(tmp_path):
    text = campaign({"SUNDAY": [("05:00", "23:00")]})
    assert not any(r.startswith("CC7") for r in lint_text(tmp_path, text).rules())
    assert "CC702" in check(tmp_path, text, "us-la").rules()
    assert "CC702" not in check(tmp_path, text, "us-la", "--ignore", "CC702").rules()


def test_unknown_pack_is_a_usage_error_with_a_suggestion(tmp_path):
    run = check(tmp_path, TELEPHONY, "us-fl,us-flx")
    assert run.code == 2 and 'unknown policy pack \'us-flx\'; did you mean "us-fl"?' in run.err
    (tmp_path / ".campaign-lint.toml").write_text('policies = ["ustcpa"]\n')
    run = run_cli("check", "--config", str(tmp_path / ".campaign-lint.toml"), str(tmp_path))
    assert run.code == 2 and '"us-tcpa"' in run.err and "Traceback" not in run.err


def test_config_policies_per_file_policies_and_own_pack_folders(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "acme-quiet.json").write_text(json.dumps({
        "id": "acme-quiet", "title": "Our own quiet hours", "jurisdiction": "company policy",
        "covers": ["telemarketing"], "channels": ["voice"], "audience": ["America/Chicago"],
        "hours": {"MONDAY": [["10:00", "16:00"]]}, "citation": "Works agreement 2026 s4",
        "source-url": "https://intranet.example/policy", "last-checked": "2026-11-01", "confidence": "high"}))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.campaign-lint]\npolicies = ["acme-quiet"]\npolicy-dirs = ["packs"]\n'
        '[tool.campaign-lint.per-file-policies]\n"la/*.yaml" = ["us-la"]\n')
    (tmp_path / "la").mkdir()
    sunday = campaign({"SUNDAY": [("12:00", "13:00")], "MONDAY": [("09:00", "16:00")]})
    (tmp_path / "la" / "a.yaml").write_text(sunday)
    (tmp_path / "b.yaml").write_text(sunday)
    run = run_cli("check", "--config", str(tmp_path / "pyproject.toml"), "--today", TODAY, "--format", "json",
                  str(tmp_path))
    by_file = {(f["file"].split("/")[-1], f["rule"]) for f in run.json()["findings"] if f["rule"].startswith("CC7")}
    assert by_file == {("a.yaml", "CC701"), ("b.yaml", "CC701"), ("a.yaml", "CC702"), ("a.yaml", "CC703")}
    explain = run_cli("explain", "--config", str(tmp_path / "pyproject.toml"), "acme-quiet")
    assert explain.code == 0 and "Works agreement 2026 s4" in explain.out


def test_a_broken_pack_file_is_one_line_naming_the_file(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "bad.toml").write_text('id = "bad"\ntitle = "x"\n')
    (tmp_path / ".campaign-lint.toml").write_text('policy-dirs = ["packs"]\npolicies = ["us-fl"]\n')
    run = run_cli("check", "--config", str(tmp_path / ".campaign-lint.toml"), str(tmp_path))
    assert run.code == 2 and "bad.toml" in run.err and "required property" in run.err
    assert len(run.err.strip().splitlines()) == 1
    (tmp_path / "packs" / "bad.toml").write_text((ROOT / "linter" / "policies" / "packs"
                                                  / "us-fl.toml").read_text().replace('"us-fl"', '"bad"'))
    run = run_cli("check", "--config", str(tmp_path / ".campaign-lint.toml"), str(tmp_path))
    assert run.code == 0, run.err


def test_policies_lists_packs_and_explain_prints_one_with_its_citation():
    listing = run_cli("policies", "--isolated")
    assert listing.code == 0 and all(pack in listing.out for pack in PACKS)
    assert "Not legal advice" in listing.out
    explain = run_cli("explain", "--isolated", "us-fl")
    assert explain.code == 0
    for text in ("Fla. Stat. 501.616(6)", "https://flsenate.gov", "Last checked: 2026-11-28",
                 "Confidence:   high", "3 per 24 hours (rolling)", "not legal advice"):
        assert text in explain.out
    assert run_cli("explain", "--isolated", "us-flx").code == 2


def test_packs_and_holidays_stay_unimported_without_a_pack(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(campaign({"MONDAY": [("09:00", "17:00")]}))
    script = ("import sys; from campaign_lint.cli import main; main(['check', '--isolated', sys.argv[1]]); "
              "loaded = [m for m in ('holidays', 'campaign_lint.policies') if m in sys.modules]; "
              "print('LOADED', loaded)")
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                            timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert "LOADED []" in result.stdout, result.stdout + result.stderr


def test_sarif_and_json_carry_the_pack_and_citation(tmp_path):
    from jsonschema import Draft7Validator

    text = campaign({"SUNDAY": [("07:00", "13:00")]})
    path = tmp_path / "c.yaml"
    path.write_text(text)
    run = run_cli("check", "--isolated", "--today", TODAY, "--format", "sarif", "--policy", "us-ut", str(path))
    document = json.loads(run.out)
    Draft7Validator(json.loads((FIXTURES / "sarif-2.1.0.json").read_text())).validate(document)
    results = [r for r in document["runs"][0]["results"] if r["ruleId"].startswith("CC7")]
    assert results and all(r["properties"]["policy"] == "us-ut" and
                           r["properties"]["citation"] == PACKS["us-ut"].citation for r in results)


def test_two_packs_findings_on_one_range_keep_distinct_fingerprints(tmp_path):
    # GitHub code scanning merges SARIF results that share a fingerprint: one pack's finding
    # must not hide another's.
    path = tmp_path / "c.yaml"
    path.write_text(campaign({"SUNDAY": [("07:00", "13:00")]}))
    run = run_cli("check", "--isolated", "--today", TODAY, "--format", "sarif", "--policy", "us-ut,us-la",
                  str(path))
    results = [r for r in json.loads(run.out)["runs"][0]["results"] if r["ruleId"] == "CC702"]
    assert {r["properties"]["policy"] for r in results} == {"us-ut", "us-la"}
    assert len({r["partialFingerprints"]["campaignLint/v1"] for r in results}) == len(results)


# --- an account audit: OPT_IN instance limits count toward CC704 -------------------------------------

def test_audit_counts_opt_in_instance_limits_toward_the_cap(service):  # noqa: F811 (fixture)
    from .fake_service import make_campaign

    template = json.loads((ROOT / "examples" / "clean" / "renewals-describe.json").read_text())["campaign"]
    item = make_campaign(1, template=template)
    item["communicationLimitsOverride"] = {"instanceLimitsHandling": "OPT_IN"}

    def audit(instance_limits):
        service({"us-east-1": [item]}, instance_limits={"instance-1": instance_limits})
        run = run_cli("audit", "--isolated", "--today", TODAY, "--format", "json", "--region", "us-east-1",
                      "--policy", "us-fl")
        return findings_of(run, "CC704")

    assert audit([{"maxCountPerRecipient": 3, "frequency": 2, "unit": "DAY"}]) == []
    [loose] = audit([{"maxCountPerRecipient": 10, "frequency": 1, "unit": "DAY"}])
    assert "allow up to 20 per 2 days" in loose["message"] and "not in a file" not in loose["message"]
    assert loose["pointer"] == "/communicationLimitsOverride/instanceLimitsHandling"
    assert loose["properties"]["policy"] == "us-fl"


def test_readme_names_every_key_a_pack_file_may_hold():
    from campaign_lint.policies.pack import SCHEMA

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("A pack file (TOML or JSON"):readme.index("Cost: the pack files")]
    keys = set(SCHEMA["properties"]) | set(SCHEMA["properties"]["holidays"]["properties"])
    keys |= set(SCHEMA["properties"]["caps"]["items"]["properties"])
    assert sorted(key for key in keys if f"`{key}`" not in section) == []


def test_readme_pack_table_is_current():
    from campaign_lint.policies import pack_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert pack_table(PACKS.values()) in readme, \
        "README policy table is stale: run `python -m campaign_lint.policies README.md`"
    assert "not legal advice" in readme.lower()


@pytest.mark.parametrize("pack,day,holiday", [
    ("us-ut", "SATURDAY", "2027-07-24 (Pioneer Day)"),
    # Utah Code 63G-1-301(2)(d): June 19, 2027 is a Saturday, the next Monday is the holiday
    ("us-ut", "MONDAY", "2027-06-21 (Juneteenth National Freedom Day (Utah's Monday))"),
    ("us-al", "MONDAY", "2027-04-26 (Confederate Memorial Day)"),
    ("au-telemarketing", "MONDAY", "2027-03-29 (Easter Monday)"),
    # Boxing Day 2026 is a Saturday: the Monday is a holiday in every state, not on the national list
    ("au-telemarketing", "MONDAY", "2026-12-28 (Boxing Day (observed))"),
    ("us-la", "TUESDAY", "2027-02-09 (Mardi Gras)"),
    # R.S. 1:55(A)(1) legal holidays the library leaves out, from the pack's yearly rules
    ("us-la", "FRIDAY", "2027-01-08 (Battle of New Orleans (R.S. 1:55))"),
    ("us-la", "MONDAY", "2027-10-11 (Columbus Day (R.S. 1:55))"),
    ("us-la", "FRIDAY", "2027-11-26 (Acadian Day (day after Thanksgiving, when proclaimed))"),
])
def test_each_pack_with_holidays_names_them(tmp_path, pack, day, holiday):
    [finding] = findings_of(check(tmp_path, campaign({day: [("10:00", "12:00")]}), pack), "CC703")
    assert holiday in finding["message"] and finding["properties"]["policy"] == pack
    assert "CC703" not in check(tmp_path, campaign({day: [("10:00", "12:00")]}), "us-fl").rules()


def test_a_misspelt_policy_dir_is_an_error_even_with_no_pack_selected(tmp_path):
    # packs are read only when one is selected: a policy-dirs entry naming no folder went
    # unnoticed (a missing rules-dirs entry was already an error)
    config = tmp_path / ".campaign-lint.toml"
    config.write_text('policy-dirs = ["pakcs"]\n')
    (tmp_path / "c.yaml").write_text("name: x\n")
    run = run_cli("check", "--config", str(config), str(tmp_path / "c.yaml"))
    assert run.code == 2 and run.out == ""
    assert run.err == (f"campaign-lint: error: {config}: policy-dirs: 'pakcs' is not a folder ({tmp_path / 'pakcs'}); "
                       "name the folder that holds the pack files, relative to this config file\n")


def test_policy_dirs_cannot_lead_out_of_the_config_folder(tmp_path):
    project = tmp_path / "project"
    (project / "packs").mkdir(parents=True)
    config = project / ".campaign-lint.toml"
    for outside in ("../", "/etc"):
        config.write_text(f'policy-dirs = ["{outside}"]\npolicies = ["us-fl"]\n')
        run = run_cli("check", "--config", str(config), str(project))
        assert run.code == 2 and "outside the folder of this config file" in run.err
    (tmp_path / "secret.toml").write_text("id = 'x'\n")
    (project / "packs" / "x.toml").symlink_to(tmp_path / "secret.toml")
    config.write_text('policy-dirs = ["packs"]\npolicies = ["us-fl"]\n')
    run = run_cli("check", "--config", str(config), str(project))
    assert run.code == 2 and "a link out of the policy folder" in run.err
    # stricter than rules-dirs (README): a link elsewhere in the config's folder is refused too
    (project / "shared").mkdir()
    (project / "shared" / "y.toml").write_text("id = 'y'\n")
    (project / "packs" / "x.toml").unlink()
    (project / "packs" / "x.toml").symlink_to(project / "shared" / "y.toml")
    run = run_cli("check", "--config", str(config), str(project))
    assert run.code == 2 and run.err.strip().endswith("x.toml: a link out of the policy folder; copy the pack file instead")


def test_explain_lists_the_banned_holidays_of_the_coming_year(tmp_path):
    (tmp_path / ".campaign-lint.toml").write_text(f'today = "{TODAY}"\n')
    run = run_cli("explain", "--config", str(tmp_path / ".campaign-lint.toml"), "us-ut")
    assert "2027-07-24 Sat Pioneer Day" in run.out and "2027-12-25" not in run.out


# --- review: holidays reached across midnight by a default-zone campaign ------------------------------

def test_default_zone_range_reaching_a_monday_holiday_on_tuesday_is_reported(tmp_path):
    # UTC Tuesday 00:00-01:00 is Monday 20:00-21:00 EDT, 17:00-18:00 PDT: inside Utah's
    # 08:00-21:00, but on Memorial Day (a Monday) in every US zone
    text = campaign({"TUESDAY": [("00:00", "01:00")]}, zone="UTC", detect=False)
    assert "CC701" not in check(tmp_path, text, "us-ut").rules()
    [finding] = findings_of(check(tmp_path, text, "us-ut"), "CC703")
    assert "2027-06-01 (Memorial Day 2027-05-31 in America/" in finding["message"]
    restricted = text.replace("    openHours:", "    restrictedPeriods:\n      restrictedPeriodList:\n"
                              "        - {startDate: 2027-06-01, endDate: 2027-06-01}\n    openHours:")
    rest = findings_of(check(tmp_path, restricted, "us-ut"), "CC703")
    assert rest and all("Memorial Day" not in f["message"] for f in rest)


def test_default_zone_range_that_misses_the_callees_holiday_is_not_reported(tmp_path):
    # Tokyo Tuesday 08:00-09:00 is Monday evening in the US: Tuesday 2028-07-04 (Independence
    # Day) is never reached, Monday 2028-09-04 (Labor Day) is, on Tuesday 2028-09-05
    text = campaign({"TUESDAY": [("08:00", "09:00")]}, zone="Asia/Tokyo", detect=False)
    run = lint_text(tmp_path, text, "campaign.yaml", "--policy", "us-ut", "--today", "2028-06-01")
    assert "CC701" not in run.rules()
    [finding] = findings_of(run, "CC703")
    assert "2028-07-04" not in finding["message"]
    assert "2028-09-05 (Labor Day 2028-09-04 in America/" in finding["message"]


# --- review: a hostile or broken pack in policy-dirs --------------------------------------------------

def _own_pack(**changes) -> dict:
    pack = {"id": "acme", "title": "Our hours", "jurisdiction": "company", "covers": ["telemarketing"],
            "channels": ["voice"], "audience": ["US"], "hours": {"MONDAY": [["09:00", "17:00"]]},
            "citation": "Policy 1", "source-url": "https://intranet.example/p", "last-checked": "2026-11-01",
            "confidence": "high"}
    pack.update(changes)
    return pack


@pytest.mark.parametrize("text,expected", [
    (json.dumps(_own_pack(holidays={"country": "ZZ"})), "holidays library does not know ZZ"),
    (json.dumps(_own_pack(holidays={"country": "US", "subdivision": "XX"})), "does not know US-XX"),
    (json.dumps(_own_pack(holidays={"country": "US", "categories": ["nonsense"]})), "does not know US nonsense"),
    (json.dumps(_own_pack(citation="c\n/tmp/x.yaml:1:1: CC999 error: forged")), "policy pack citation: control"),
    (json.dumps(_own_pack(title="\x1b[2J\x1b[31mtitle")), "policy pack title: control"),
    (json.dumps(_own_pack(notes="two\nlines, \x1b]8;;https://evil\x07link")), "policy pack notes: control"),
    ('{"id": ' + "[" * 100000 + "]" * 100000 + "}", "not valid JSON: nested too deeply"),
    (json.dumps(_own_pack(**{"statute-clock": "Mars/Base"})), "statute-clock: 'Mars/Base' is not a zone"),
    # a line separator is a line break to str.splitlines: `explain` would print a forged line
    (json.dumps(_own_pack(title="X\u2028c.yaml:1:1: CC999 error: forged")), "policy pack title: control"),
    # explain and policies print pack text as it is: an invisible character makes one citation
    # look like another, a bidi override reorders the line (both were refused for bidi only)
    (json.dumps(_own_pack(citation="Policy\u200b 1")), "policy pack citation: control characters, bidi or invisible"),
    (json.dumps(_own_pack(notes="see\ufeff line\n")), "policy pack notes: control characters, bidi or invisible"),
    (json.dumps(_own_pack(title="Our \u2066hours\u2069")), "policy pack title: control characters, bidi or invisible"),
], ids=["country", "subdivision", "category", "newline", "escape", "notes-escape", "deep", "statute-clock",
        "line-separator", "zero-width", "byte-order-mark", "isolate"])
def test_a_hostile_pack_is_a_one_line_usage_error_naming_the_file(tmp_path, text, expected):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "acme.json").write_text(text)
    (tmp_path / ".campaign-lint.toml").write_text('policy-dirs = ["packs"]\npolicies = ["acme", "us-la"]\n')
    (tmp_path / "c.yaml").write_text(campaign({"MONDAY": [("09:00", "17:00")]}))
    for args in (("check", str(tmp_path / "c.yaml")), ("explain", "acme"), ("policies",)):
        run = run_cli(args[0], "--config", str(tmp_path / ".campaign-lint.toml"), *args[1:])
        assert run.code == 2, (args, run.out, run.err)
        assert expected in run.err and "acme.json" in run.err and len(run.err.strip().splitlines()) == 1
        assert "internal error" not in run.err and "forged" not in run.out


@pytest.mark.parametrize("annual,expected", [
    ([{"rule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "name": "x"}], "annual/0: 'FREQ=YEARLY;BYMONTH=2;"
                                                                     "BYMONTHDAY=30' names no day"),
    ([{"rule": "FREQ=YEARLY;BYMONTH=1;BYDAY=XX", "name": "x"}], "has BYDAY=XX, not a value RFC 5545 allows"),
    # a rule without a month, or not yearly, is refused by the pack schema
    ([{"rule": "FREQ=YEARLY;BYDAY=MO", "name": "every Monday"}], "does not match"),
    ([{"rule": "FREQ=SECONDLY;BYMONTH=1", "name": "x"}], "does not match"),
    ([{"rule": "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=8"}], "'name' is a required property"),
    # values dateutil would silently drop or read otherwise (review): each a one-line error
    ([{"rule": "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=0", "name": "x"}], "has BYMONTHDAY=0, not a value RFC 5545"),
    ([{"rule": "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=8;BYMONTH=8", "name": "x"}], "gives a part twice"),
    ([{"rule": "FREQ=YEARLY;BYMONTH=6", "name": "x"}], "names a month but no day"),
    ([{"rule": "FREQ=YEARLY;BYMONTH=1,13;BYMONTHDAY=1", "name": "x"}], "has BYMONTH=13, not a value RFC 5545"),
    ([{"rule": "FREQ=YEARLY;BYMONTH=1;BYDAY=60MO", "name": "x"}], "has BYDAY=60MO"),
    ([{"rule": "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=8", "name": f"d{n}"} for n in range(51)],
     "annual: [{'rule'"),  # at most 50: every pack of policy-dirs is read when packs load
    ([{"rule": "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=" + ",".join(["1"] * 31) + ";BYSETPOS=" + ",".join(["100"] * 31),
       "name": "x"}], "is too long"),
    ({"country": "SG", "every-subdivision": True}, "knows no subdivision of SG; remove every-subdivision"),
    ({"every-subdivision": True}, "every-subdivision: needs a country and no subdivision"),
    ({"country": "US", "subdivision": "LA", "every-subdivision": True}, "needs a country and no subdivision"),
], ids=["no-day", "bad-weekday", "no-month", "not-yearly", "no-name", "month-day-0", "twice", "month-only",
        "month-13",
        "weekday-60", "51-rules", "too-long", "everywhere-no-subdivisions", "everywhere-no-country",
        "everywhere-and-subdivision"])
def test_a_broken_pack_holiday_spec_is_a_one_line_usage_error(tmp_path, annual, expected):
    holidays = annual if isinstance(annual, dict) else {"annual": annual}
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "acme.json").write_text(json.dumps(_own_pack(holidays=holidays)))
    (tmp_path / ".campaign-lint.toml").write_text('policy-dirs = ["packs"]\npolicies = ["acme"]\n')
    (tmp_path / "c.yaml").write_text(campaign({"MONDAY": [("09:00", "17:00")]}))
    run = run_cli("check", "--config", str(tmp_path / ".campaign-lint.toml"), str(tmp_path / "c.yaml"))
    assert run.code == 2 and expected in run.err and "acme.json" in run.err, run.err
    assert len(run.err.strip().splitlines()) == 1 and run.err.count("policy pack") == 1  # not wrapped twice


@pytest.mark.parametrize("rule,first", [
    ("FREQ=YEARLY;BYMONTH=2;BYDAY=5MO", date(2016, 2, 29)),  # a fifth Monday of February: 2016, 2044
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=SA", date(2020, 2, 29)),
    ("FREQ=YEARLY;BYMONTH=01;BYMONTHDAY=08", date(2000, 1, 8)),  # RFC 5545 allows two digits
])
def test_rare_and_zero_padded_yearly_rules_are_accepted(rule, first):
    from campaign_lint.policies.pack import parse_pack

    pack = parse_pack(_own_pack(holidays={"annual": [{"rule": rule, "name": "x"}]}), "acme.json")
    assert min(pack.holiday_dates(date(2000, 1, 1), date(2055, 12, 31))) == first


def test_a_packs_yearly_holiday_is_banned_every_year_with_its_name(tmp_path):
    rule = "FREQ=YEARLY;BYMONTH=10;BYDAY=2MO"  # the second Monday of October
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "acme.json").write_text(json.dumps(_own_pack(
        holidays={"annual": [{"rule": rule, "name": "Founders' Day"}]})))
    (tmp_path / ".campaign-lint.toml").write_text('policy-dirs = ["packs"]\npolicies = ["acme"]\n')
    (tmp_path / "c.yaml").write_text(campaign({"MONDAY": [("09:00", "17:00")]}))
    run = run_cli("check", "--format", "json", "--today", TODAY, "--config", str(tmp_path / ".campaign-lint.toml"),
                  str(tmp_path / "c.yaml"))
    [finding] = findings_of(run, "CC703")
    assert "2027-10-11 (Founders' Day)" in finding["message"]
    later = run_cli("check", "--format", "json", "--today", "2029-01-01", "--config",
                    str(tmp_path / ".campaign-lint.toml"), str(tmp_path / "c.yaml"))
    assert "2029-10-08 (Founders' Day)" in findings_of(later, "CC703")[0]["message"]


_RULE_VALUE = st.one_of(st.integers(-400, 400).map(str), st.from_regex(r"[+-]?[1-5]?(MO|TU|WE|TH|FR|SA|SU)",
                                                                          fullmatch=True),
                        st.from_regex(r"[+-]?[0-9A-Z]{1,4}", fullmatch=True))
_RULE_PART = st.tuples(st.sampled_from(["MONTH", "MONTHDAY", "DAY", "SETPOS"]),
                       st.lists(_RULE_VALUE, min_size=1, max_size=5))
_YEARLY_RULES = st.tuples(st.lists(_RULE_VALUE, min_size=1, max_size=3), st.lists(_RULE_PART, max_size=3)).map(
    lambda parts: "FREQ=YEARLY;BYMONTH=" + ",".join(parts[0])
    + "".join(f";BY{key}={','.join(values)}" for key, values in parts[1]))


@settings(max_examples=150, deadline=None)
@given(rule=_YEARLY_RULES, first=st.integers(1990, 2090), span=st.integers(0, 800))
def test_any_yearly_rule_the_schema_admits_is_refused_or_gives_days_in_range(rule, first, span):
    from campaign_lint.policies.pack import PackError, _check_holidays, parse_pack

    assert re.fullmatch(ANNUAL_RULE, rule)
    spec = {"annual": [{"rule": rule, "name": "x"}]}
    try:
        _check_holidays(spec, "acme.json")
    except PackError as error:
        assert str(error).startswith("acme.json: policy pack holidays/annual/0: ")
        return
    pack = parse_pack(_own_pack(holidays=spec), "acme.json")
    start = date(first, 1, 1) + timedelta(days=span % 365)
    end = start + timedelta(days=span)
    days = pack.holiday_dates(start, end)
    assert all(start <= day <= end and name == "x" for day, name in days.items())
    assert len(days) <= span + 1


@pytest.mark.parametrize("today", ["9999-06-01", "0001-01-01"])
def test_today_at_the_calendars_ends_is_a_usage_error_with_policy_packs(tmp_path, today):
    # the CC7xx rules look a year ahead in every zone: they crashed (CC010) there; `hours` draws
    # a week in every zone: it ended in an internal error
    run = lint_text(tmp_path, campaign({"MONDAY": [("09:00", "17:00")]}), "c.yaml", "--today", today,
                    "--policy", "us-la")
    assert run.code == 2 and "too near the end of the calendar for policy packs" in run.err
    assert len(run.err.strip().splitlines()) == 1
    week = run_cli("hours", "--isolated", "--today", today, str(tmp_path / "c.yaml"))
    assert week.code == 2 and "too near the end of the calendar" in week.err and "internal error" not in week.err


def test_a_holiday_calendar_past_its_data_warns_nothing_on_stderr(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "acme.json").write_text(json.dumps(_own_pack(holidays={"country": "IN"})))
    (tmp_path / ".campaign-lint.toml").write_text('policy-dirs = ["packs"]\npolicies = ["acme"]\n')
    (tmp_path / "c.yaml").write_text(campaign({"MONDAY": [("09:00", "17:00")]}))
    run = run_cli("check", "--config", str(tmp_path / ".campaign-lint.toml"), "--today", "2040-01-01",
                  str(tmp_path / "c.yaml"))
    assert run.code in (0, 1) and run.err == "", run.err


def test_pack_notes_may_run_over_lines(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "acme.json").write_text(json.dumps(_own_pack(notes="line one\nline two\n")))
    (tmp_path / ".campaign-lint.toml").write_text('policy-dirs = ["packs"]\n')
    run = run_cli("explain", "--config", str(tmp_path / ".campaign-lint.toml"), "acme")
    assert run.code == 0 and "line one\nline two" in run.out


@pytest.mark.parametrize("zone_config", ["", "  localTimeZoneConfig:\n    defaultTimeZone: America/New_Yrok\n"],
                         ids=["no-zone", "unknown-zone"])
def test_hours_without_a_usable_zone_are_read_as_callee_local_not_skipped(tmp_path, zone_config):
    text = ("name: no-zone\ncommunicationTimeConfig:\n" + zone_config +
            "  telephony:\n    openHours:\n      dailyHours:\n        MONDAY: [{startTime: T05:00, endTime: T23:00}]\n")
    [finding] = findings_of(check(tmp_path, text, "us-fl"), "CC701")
    assert "open at 05:00 callee-local time (no usable time zone" in finding["message"]
    assert "CC701" not in check(tmp_path, text.replace("T05:00", "T08:00").replace("T23:00", "T20:00"),
                                "us-fl").rules()


def test_mississippi_hours_are_central_standard_time_all_year(tmp_path):
    # Miss. Code 77-3-723(1): "between the hours of 8:00 a.m. and 8:00 p.m. Central Standard Time";
    # 08:00 CDT (summer) is 07:00 CST, and open hours hold all year
    utc = timezone.utc
    assert legal_window(PACKS["us-ms"], date(2027, 7, 5), "America/Chicago") == [
        (datetime(2027, 7, 5, 14, tzinfo=utc), datetime(2027, 7, 6, 1, tzinfo=utc))]  # 08:00-19:00 CST
    run = check(tmp_path, campaign({"MONDAY": [("08:00", "20:00")]}), "us-ms")
    assert "open at 08:00 callee-local" in findings_of(run, "CC701")[0]["message"]


# Confidence as reviewed against the cited sources (2026-11-28). "high" means the pack's data,
# hours, days, holidays and caps, was read in the primary text or a faithful copy.
REVIEWED_CONFIDENCE = {
    "us-fl": "high", "us-wa": "high",          # operative text seen; no holidays, caps as written
    "us-tcpa": "medium", "us-tsr": "medium",   # quotations only; eCFR paragraph not opened
    "us-reg-f": "medium", "us-ok": "medium", "us-md": "medium", "us-tx": "medium",
    "us-ms": "medium",                         # text seen; the CST reading is an interpretation
    "us-la": "medium", "us-ut": "medium",      # text seen; holiday lists are the library's, unverified
    "us-al": "medium",                         # text covers automated calls; holidays undefined
    "fr-demarchage": "medium",                 # text seen; status after the 11 Aug 2026 reform unconfirmed
    "ca-crtc": "medium", "au-telemarketing": "medium", "uk-ofcom": "low",
}


def test_pack_confidence_is_what_the_review_found():
    assert {pack.id: pack.confidence for pack in PACKS.values()} == REVIEWED_CONFIDENCE


def test_a_holiday_two_days_after_the_campaigns_date_is_reached(tmp_path):
    # Pago Pago (UTC-11) Tuesday 23:55 is Thursday 00:40 in Chatham (UTC+13:45 in summer):
    # Thanksgiving 2026-11-26 is reached from Tuesday 2026-11-24 (found by the CC703 oracle)
    config = tmp_path / ".campaign-lint.toml"
    config.write_text('audience-zones = ["Pacific/Chatham"]\n')
    (tmp_path / "c.yaml").write_text(campaign({"TUESDAY": [("23:55", "24:00")]}, zone="Pacific/Pago_Pago",
                                              detect=False))
    run = run_cli("check", "--config", str(config), "--today", "2026-02-01", "--format", "json", "--policy",
                  "us-ut", str(tmp_path / "c.yaml"))
    [finding] = findings_of(run, "CC703")
    assert "2026-11-24 (Thanksgiving Day 2026-11-26 in Pacific/Chatham)" in finding["message"]


def test_a_baseline_records_and_hides_policy_findings_by_pack(tmp_path):
    # --write-baseline crashed (internal error: too many values to unpack) on any CC7xx finding,
    # and a baseline entry could never match one (its key carries the pack)
    text = campaign({"MONDAY": [("06:00", "23:00")]})
    baseline = tmp_path / "baseline.json"
    written = check(tmp_path, text, "us-fl,us-tcpa", "--write-baseline", str(baseline))
    assert written.code == 0 and "internal error" not in written.err, written.err
    entries = json.loads(baseline.read_text())["findings"]
    assert sorted(e["policy"] for e in entries if e["rule"] == "CC701") == ["us-fl", "us-tcpa"]
    again = check(tmp_path, text, "us-fl,us-tcpa", "--baseline", str(baseline))
    assert again.code == 0 and [f for f in again.json()["findings"] if not f["suppressed"]] == []
    # one pack's entry does not hide the other pack's finding
    kept = [e for e in entries if e.get("policy") != "us-tcpa"]
    baseline.write_text(json.dumps({"version": 1, "findings": kept}))
    partly = check(tmp_path, text, "us-fl,us-tcpa", "--baseline", str(baseline))
    left = [f for f in partly.json()["findings"] if not f["suppressed"]]
    assert partly.code == 1 and [(f["rule"], f["properties"]["policy"]) for f in left] == [("CC701", "us-tcpa")]
    # an entry of a pack no longer selected is stale, and says which pack it was for
    stale = check(tmp_path, text, "us-tcpa", "--baseline", str(baseline))
    assert [f["message"].endswith("(policy us-fl) matches no finding any more; rewrite the baseline with "
                                  "--write-baseline") for f in stale.json()["findings"] if f["rule"] == "CC012"] == [True]


def test_dates_before_the_year_1000_are_written_with_four_digits(tmp_path):
    # strftime's %Y does not pad: "Saturday 999-12-21" read like a typo of the year
    (tmp_path / "c.yaml").write_text(campaign({"FRIDAY": [("09:00", "17:00")]}, zone="America/New_York",
                                              detect=False))
    run = run_cli("check", "--isolated", "--policy", "us-tcpa", "--today", "0999-12-20", "--format", "json",
                  str(tmp_path / "c.yaml"))
    messages = [finding["message"] for finding in findings_of(run, "CC701")]
    assert messages and all("(Saturday 0999-12-21)" in message for message in messages), messages
