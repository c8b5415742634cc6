"""``campaign-lint hours`` (the calling week in the terminal) and ``--format html`` (one
self-contained page with the findings and each campaign's week)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
import pytz
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_lint.hours import DAY_NAMES, _zone_grid

from .conftest import EXAMPLES, TODAY, run_cli, run_process

RENEWALS = str(EXAMPLES / "clean" / "renewals-describe.json")


@pytest.fixture(scope="module")
def both_readings(tmp_path_factory):
    """The renewals campaign with defaultTimeZone America/New_York and zone detection."""
    document = json.loads((EXAMPLES / "clean" / "renewals-describe.json").read_text())
    document["campaign"]["communicationTimeConfig"]["localTimeZoneConfig"] = {
        "defaultTimeZone": "America/New_York", "localTimeZoneDetection": ["AREA_CODE", "ZIP_CODE"]}
    path = tmp_path_factory.mktemp("hours") / "renewals.json"
    path.write_text(json.dumps(document, indent=2))
    return str(path)


def grids(out: str) -> dict[str, list[str]]:
    """Each drawn grid by its title: the seven rows of cells."""
    found, lines = {}, out.splitlines()
    for index, line in enumerate(lines):
        if line.strip().startswith(("callee in", "every callee", "as written")):
            found.setdefault(line.strip(), [row.split()[1] for row in lines[index + 2:index + 9]])
    return found


def row(*ranges: tuple[float, float]) -> str:
    """48 half-hour cells, open within the given hour ranges."""
    cells = ["."] * 48
    for start, end in ranges:
        for slot in range(int(start * 2), int(end * 2)):
            cells[slot] = "#"
    return "".join(cells)


def hours(*args: str):
    return run_cli("hours", "--ascii", *args)


def test_default_zone_week_for_callees_in_other_zones(both_readings):
    run = hours(both_readings, "--zone", "America/New_York", "--zone", "America/Los_Angeles",
                  "--zone", "Asia/Kolkata", "--today", "2026-11-25")
    assert run.code == 0, run.err
    assert run.out.startswith("Week of Monday 2026-11-23; one character = 30 minutes")
    drawn = grids(run.out)
    assert drawn["every callee, in their own time zone"][0] == row((9, 12), (13, 18))
    assert drawn["callee in America/New_York"][0] == row((9, 12), (13, 18))
    assert drawn["callee in America/Los_Angeles"][0] == row((6, 9), (10, 15))
    # 09:00 in New York is 19:30 in Kolkata; Friday's 17:00 end is 03:30 on Saturday
    assert drawn["callee in Asia/Kolkata"][0] == row((19.5, 22.5), (23.5, 24))
    assert drawn["callee in Asia/Kolkata"][5] == row((0, 3.5))
    assert "  telephony: default zone: every callee gets the clock of America/New_York" in run.out
    assert "      Christmas: 2027-12-24..2027-12-26" in run.out


def test_a_week_with_a_clock_change_in_one_zone_only(both_readings):
    # the US springs forward on Sunday 2026-03-08, the UK on 2026-03-29
    before = grids(hours(both_readings, "--zone", "Europe/London", "--today", "2026-03-04").out)
    after = grids(hours(both_readings, "--zone", "Europe/London", "--today", "2026-03-11").out)
    assert before["callee in Europe/London"][0] == row((14, 17), (18, 23))
    assert after["callee in Europe/London"][0] == row((13, 16), (17, 22))


def test_a_week_with_a_clock_change_after_2037(both_readings):
    """pytz's tables end in 2037; the zones' rules go on (campaign_lint.tz): the US springs
    forward on Sunday 2045-03-12, the UK on 2045-03-26."""
    before = grids(hours(both_readings, "--zone", "Europe/London", "--today", "2045-03-08").out)
    after = grids(hours(both_readings, "--zone", "Europe/London", "--today", "2045-03-15").out)
    assert before["callee in Europe/London"][0] == row((14, 17), (18, 23))
    assert after["callee in Europe/London"][0] == row((13, 16), (17, 22))


def test_block_characters_on_a_utf_8_terminal():
    run = run_process("hours", RENEWALS, "--today", TODAY, env={"PYTHONIOENCODING": "utf-8"})
    assert "█ open, ▌ partly open, · closed" in run.stdout
    assert "    Mon " + row((9, 12), (13, 18)).replace("#", "█").replace(".", "·") in run.stdout


def test_unknown_zone_and_file_without_campaign_are_usage_errors(tmp_path):
    run = run_cli("hours", RENEWALS, "--zone", "America/Los_Angles")
    assert run.code == 2 and 'did you mean "America/Los_Angeles"?' in run.err
    (tmp_path / "p.json").write_text('{"name": "web"}')
    empty = run_cli("hours", str(tmp_path / "p.json"))
    assert empty.code == 2 and "no campaign" in empty.err


def test_ascii_and_no_zone_at_all(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: x\nconnectInstanceId: i-1\ncommunicationTimeConfig:\n  localTimeZoneConfig: {}\n"
                    "  sms:\n    openHours:\n      dailyHours:\n"
                    "        MONDAY: [{startTime: T09:15, endTime: T10:00}]\n")
    run = run_cli("hours", str(path), "--ascii", "--today", TODAY)
    assert "  sms: no time zone: the hours as written, in nobody's clock" in run.out
    assert grids(run.out)["as written"][0] == "." * 18 + "+#" + "." * 28


def _oracle(open_minutes, default, callee, monday):
    """Every minute of the callee's week, converted one by one."""
    source, target = pytz.timezone(default), pytz.timezone(callee)
    rows = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        minutes = []
        for minute in range(24 * 60):
            wall = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
            try:
                there = target.localize(wall, is_dst=None).astimezone(source)
            except pytz.NonExistentTimeError:
                minutes.append(False)
                continue
            except pytz.AmbiguousTimeError:
                there = target.localize(wall, is_dst=False).astimezone(source)
            at = there.hour * 60 + there.minute
            minutes.append(any(s <= at < e for s, e in open_minutes[DAY_NAMES[there.weekday()]]))
        rows.append([2 if all(minutes[i:i + 30]) else 1 if any(minutes[i:i + 30]) else 0
                     for i in range(0, 1440, 30)])
    return rows


ZONES = ["America/New_York", "America/Los_Angeles", "Europe/London", "Australia/Lord_Howe",
         "Asia/Kathmandu", "America/St_Johns", "Pacific/Honolulu", "America/Santiago", "UTC"]
WEEKS = [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 30), date(2026, 4, 6), date(2026, 10, 26),
         date(2026, 11, 2), date(2026, 9, 7), date(2026, 6, 15)]


@settings(max_examples=12, deadline=None)  # the oracle converts 10,080 minutes per example
@given(default=st.sampled_from(ZONES), callee=st.sampled_from(ZONES), monday=st.sampled_from(WEEKS),
       ranges=st.dictionaries(st.sampled_from(DAY_NAMES), st.lists(
           st.tuples(st.integers(0, 1439), st.integers(1, 1440)).filter(lambda r: r[0] < r[1]),
           max_size=2)))
def test_the_drawn_week_matches_converting_every_minute(default, callee, monday, ranges):
    open_minutes = {day: ranges.get(day, []) for day in DAY_NAMES}
    assert _zone_grid(open_minutes, default, callee, monday) == _oracle(open_minutes, default, callee, monday)


# --- --format html -----------------------------------------------------------------------------

class _Strict(HTMLParser):
    """html.parser with the checks a browser would forgive: every element closed, in order."""

    VOID = {"meta", "input", "br"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.rows, self.scripts, self.urls, self.text = [], [], 0, [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.urls += [value for name, value in attrs if name in ("src", "href", "action")]
        if tag == "script":
            self.scripts += 1
        if tag == "tr" and "finding" in (attributes.get("class") or ""):
            self.rows.append(attributes)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href", "action")]

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (self.stack[-5:], tag)
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Strict:
    parser = _Strict()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    ET.fromstring(page.split("\n", 1)[1])  # well-formed XML too (after the doctype)
    return parser


HOSTILE = '''\
name: "</td><script>alert(1)</script>\\x1b[2J"
connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
description: x
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: "America/New_York"}
  telephony:
    openHours:
      dailyHours:
        MONDAY: [{startTime: T09:00, endTime: T12:00}, {startTime: T11:00, endTime: T13:00}]
    restrictedPeriods:
      restrictedPeriodList:
        - {name: "<img src=x onerror=alert(1)>", startDate: "2027-12-24", endDate: "2027-12-26"}
'''


def test_html_report_holds_every_finding_and_parses_strictly(tmp_path):
    (tmp_path / "hostile.yaml").write_text(HOSTILE)
    (tmp_path / "ok.json").write_text((EXAMPLES / "clean" / "renewals-describe.json").read_text())
    (tmp_path / "typos.yaml").write_text((EXAMPLES / "broken" / "typos.yaml").read_text()
                                         + "# campaign-lint: ignore-file CC105\n")
    args = ("check", "--isolated", "--today", TODAY, str(tmp_path))
    page = run_cli(*args, "--format", "html")
    findings = run_cli(*args, "--format", "json").json()["findings"]
    assert page.code == 1 and page.out.startswith("<!DOCTYPE html>\n<html")
    parsed = _parse(page.out)
    assert sorted((r["data-rule"], r["data-severity"], r["data-suppressed"]) for r in parsed.rows) == sorted(
        (f["rule"], f["severity"], "yes" if f["suppressed"] else "no") for f in findings)
    assert len(parsed.rows) == len(findings) and any(f["suppressed"] for f in findings)
    text = "".join(parsed.text)
    for finding in findings:
        assert finding["message"].replace("\x1b", "\\x1b") in text
    # hostile strings are text, never markup; nothing is loaded from anywhere
    assert parsed.scripts == 1 and parsed.urls == []
    assert "</td><script>alert(1)</script>\\x1b[2J" in text and "\x1b" not in page.out
    assert "<img src=x onerror=alert(1)>" in text
    assert "default-src 'none'" in page.out


def test_html_report_draws_each_campaigns_week_and_offers_the_filters(both_readings):
    page = run_cli("check", "--isolated", "--today", TODAY, "--format", "html", str(EXAMPLES / "clean"),
                   str(EXAMPLES / "broken"), both_readings).out
    parsed = _parse(page)
    rules = sorted({row["data-rule"] for row in parsed.rows})
    options = re.findall(r'<option value="(CC\d+)">', page)
    assert options == rules
    assert re.findall(r'<option value="(error|warning|info)">', page) == ["error", "warning", "info"]
    text = "".join(parsed.text)
    for name in ("policy-renewals-east", "appointment-reminders-uk", "collections-west", "winback-emea"):
        assert name in text
    assert "callee in America/New_York" in text and "every callee, in their own time zone" in text
    assert "restricted (closed all day): Christmas 2027-12-24..2027-12-26" in text
    monday = re.search(r"<caption>callee in America/New_York</caption>.*?<th>Mon</th><td>(.*?)</td>",
                       page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", monday) == ("&#183;" * 18 + "&#9608;" * 6 + "&#183;" * 2
                                             + "&#9608;" * 10 + "&#183;" * 12)


def test_html_report_says_an_unread_campaign_is_not_checked(tmp_path):
    (tmp_path / "stack.yaml").write_text("Resources:\n  C:\n    Type: AWS::ConnectCampaignsV2::Campaign\n"
                                         "    Properties: !GetAtt Other.Properties\n")
    text = "".join(_parse(run_cli("check", "--isolated", "--format", "html", str(tmp_path)).out).text)
    assert "Not checked: its properties are not known here" in text and "names no hours" not in text


def test_html_output_file_and_json_unchanged(tmp_path):
    run = run_cli("check", "--isolated", "--format", "html", "-o", str(tmp_path / "r.html"), str(EXAMPLES))
    assert run.code == 1 and run.out == ""
    assert "campaign-lint report" in (tmp_path / "r.html").read_text()
    assert json.loads(run_cli("check", "--isolated", "--format", "json", str(EXAMPLES)).out)["version"] == 1


@pytest.mark.parametrize("flag", ["--statistics", "--show-source"])
def test_text_only_flags_refuse_html(flag):
    run = run_cli("check", "--isolated", "--format", "html", flag, str(EXAMPLES))
    assert run.code == 2


NEW_YORK_8_TO_9 = """\
name: ny
connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: America/New_York}
  telephony:
    openHours:
      dailyHours:
        MONDAY: [{startTime: T08:00, endTime: T21:00}]
        SUNDAY: [{startTime: T10:00, endTime: T14:00}]
"""


def test_policy_packs_legal_windows_are_drawn_beside_the_campaign(tmp_path):
    path = tmp_path / "ny.yaml"
    path.write_text(NEW_YORK_8_TO_9)
    run = hours(str(path), "--isolated", "--zone", "America/Los_Angeles", "--policy", "us-tcpa,us-la",
                "--today", "2026-11-25")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[5].split() == ["campaign", "us-tcpa", "(legal", "window)", "us-la", "(legal", "window)"]
    days = {line.split()[0]: line.split()[1:] for line in lines[7:14]}
    # 08:00-21:00 in New York is 05:00-18:00 in Los Angeles, where the law allows 08:00-21:00
    assert days["Mon"] == [row((5, 18)), row((8, 21)), row((8, 20))]
    assert days["Sun"] == [row((7, 11)), row((8, 21)), row()]  # Louisiana bans Sundays
    assert days["Thu"][2] == row()  # and state holidays: Thanksgiving, 2026-11-26


def test_policy_only_for_the_channels_a_pack_covers_and_unknown_packs(tmp_path):
    path = tmp_path / "ny.yaml"
    path.write_text(NEW_YORK_8_TO_9.replace("telephony:", "email:"))
    assert "legal window" not in hours(str(path), "--isolated", "--policy", "us-tcpa").out
    wrong = hours(str(path), "--isolated", "--policy", "us-nope")
    assert wrong.code == 2 and "unknown policy pack 'us-nope'" in wrong.err


def test_html_report_draws_the_legal_window_of_the_selected_packs(tmp_path):
    path = tmp_path / "ny.yaml"
    path.write_text(NEW_YORK_8_TO_9)
    page = run_cli("check", "--isolated", "--today", "2026-11-25", "--policy", "us-la", "--format", "html",
                   str(path)).out
    _parse(page)
    assert "<th>us-la (legal window)</th>" in page and 'data-rule="CC702"' in page  # Sunday in Louisiana
    sunday = re.search(r"<th>Sun</th><td>(.*?)</td><td>(.*?)</td></tr>", page).groups()
    assert "s2" in sunday[0] and re.sub(r"<[^>]+>", "", sunday[1]) == "&#183;" * 48  # banned all day


@pytest.mark.parametrize("cache", ["--no-cache", None])
def test_html_report_draws_the_week_of_every_campaign_cached_or_not(tmp_path, cache):
    # a run keeps only some members of each campaign for the cross-campaign rules; the HTML
    # report draws the hours, so it must see them, on a cold run and on a warm one alike
    import shutil

    project = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "clean", project)
    (project / ".git").mkdir()
    options = [cache] if cache else []
    for _ in range(2):
        page = run_cli("check", "--today", TODAY, *options, "--format", "html", ".", cwd=project).out
        assert "No communication time window" not in page
        assert page.count('<table class="week">') >= 2


def test_a_channel_without_a_window_is_shown_as_open_at_any_hour(tmp_path):
    # the SMS channel that may text people at 3 a.m. was left out of the week entirely
    campaign = {"name": "c", "connectInstanceId": "i-1",
                "channelSubtypeConfig": {"telephony": {"connectQueueId": "q"}, "sms": {}},
                "communicationTimeConfig": {
                    "localTimeZoneConfig": {"defaultTimeZone": "America/Chicago"},
                    "telephony": {"openHours": {"dailyHours": {"MONDAY": [
                        {"startTime": "T09:00", "endTime": "T17:00"}]}}}}}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(campaign))
    run = hours(str(path))
    assert run.code == 0
    assert "  sms: no window: no hours are set for this channel, so it may contact people at any hour (CC206)" \
        in run.out.splitlines()
    assert "  telephony: default zone: every callee gets the clock of America/Chicago" in run.out.splitlines()


def test_a_channel_whose_settings_are_not_known_is_drawn_without_a_window(tmp_path):
    # Sms: !GetAtt was left out of the week, while check reports it at any hour (CC206)
    path = tmp_path / "stack.yaml"
    path.write_text("Resources:\n  C:\n    Type: AWS::ConnectCampaignsV2::Campaign\n    Properties:\n"
                    "      Name: c\n      ConnectInstanceId: i-1\n"
                    "      ChannelSubtypeConfig: {Sms: !GetAtt Other.Sms}\n"
                    "      CommunicationTimeConfig: {LocalTimeZoneConfig: {DefaultTimeZone: Europe/London}}\n")
    run = hours(str(path))
    assert run.code == 0
    assert "  sms: no window: no hours are set for this channel, so it may contact people at any hour (CC206)" \
        in run.out.splitlines()


def test_a_window_not_known_is_not_said_to_be_missing(tmp_path):
    # a template's window from !GetAtt was drawn as "no window ... at any hour (CC206)"
    path = tmp_path / "stack.yaml"
    path.write_text("Resources:\n  C:\n    Type: AWS::ConnectCampaignsV2::Campaign\n    Properties:\n"
                    "      Name: c\n      ConnectInstanceId: i-1\n"
                    "      ChannelSubtypeConfig: {Telephony: {ConnectQueueId: q}}\n"
                    "      CommunicationTimeConfig: {Telephony: !GetAtt Other.Window}\n")
    run = hours(str(path))
    assert run.code == 0 and "  telephony: window not drawn: it is not an object here" in run.out
    assert "CC206" not in run.out


@pytest.mark.parametrize("detection", ["!Ref Detection", "[!Ref Detection]"])
def test_a_zone_detection_not_known_is_drawn_as_set_as_the_rules_read_it(tmp_path, detection):
    # CC311, CC314 and CC701-CC703 read it as set (78aab91); hours drew only the default zone
    path = tmp_path / "stack.yaml"
    path.write_text("Parameters:\n  Detection: {Type: CommaDelimitedList}\nResources:\n  C:\n"
                    "    Type: AWS::ConnectCampaignsV2::Campaign\n    Properties:\n      Name: c\n"
                    "      ConnectInstanceId: i-1\n"
                    "      ChannelSubtypeConfig: {Telephony: {ConnectQueueId: q, OutboundMode: {AgentlessConfig: {}},"
                    " DefaultOutboundConfig: {ConnectContactFlowId: f}}}\n"
                    "      CommunicationTimeConfig:\n"
                    f"        LocalTimeZoneConfig: {{DefaultTimeZone: Europe/London, LocalTimeZoneDetection: {detection}}}\n"
                    "        Telephony: {OpenHours: {DailyHours: [{Key: MONDAY, Value: [{StartTime: T09:00, "
                    "EndTime: T17:00}]}]}}\n")
    run = hours(str(path))
    assert run.code == 0
    lines = run.out.splitlines()
    assert "  telephony: callee-local: each callee's own clock (localTimeZoneDetection: not known here)" in lines
    assert "  telephony: default zone: every callee gets the clock of Europe/London" in lines
