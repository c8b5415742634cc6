"""One self-contained HTML page for people who review rather than read logs: the findings,
filterable by rule and severity, and each campaign's calling week (``--format html``).

No network and no external asset: styles and the filter script are inline, and a
Content-Security-Policy forbids loading anything. Every string from a file, a campaign or
AWS is escaped (control characters shown as ``\\x1b``, then HTML-escaped); the page is
well-formed XML as well as HTML, so strict parsers read it too.
"""

from __future__ import annotations

import html
from collections import Counter
from datetime import date
from typing import Any, Iterable

from .. import __version__
from ..hours import CLOSED, DAY_NAMES, OPEN, PARTLY, SLOT_MINUTES, ChannelWeek, as_label, campaign_week, monday_of
from ..model import Finding
from .terminal import escape
from .text_report import fixable, summary, where

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { margin-top: 2em; } h3 { margin-bottom: .2em; }
table.findings { border-collapse: collapse; width: 100%; }
table.findings th, table.findings td { border-bottom: 1px solid #ddd; padding: .3em .5em;
  text-align: left; vertical-align: top; }
td.where, td.rule { font-family: ui-monospace, monospace; white-space: nowrap; }
.sev { font-weight: bold; } .sev.error { color: #b00020; } .sev.warning { color: #a05a00; }
.sev.info { color: #00639b; } tr.suppressed { color: #888; }
form.filters { margin: 1em 0; } form.filters label { margin-right: 1.5em; }
table.week { border-collapse: collapse; font-family: ui-monospace, monospace; margin: .3em 0 1em; }
table.week th { font-weight: normal; padding-right: .5em; text-align: left; }
table.week td { padding: 0 1em 0 0; white-space: pre; letter-spacing: 0; }
span.s0 { color: #ccc; } span.s1 { color: #7cb342; } span.s2 { color: #1b5e20; }
.note { color: #666; }
"""
# The filter script holds no "<" or "&", so the page stays well-formed XML.
_SCRIPT = """
(function () {
  var rule = document.getElementById("rule"), severity = document.getElementById("severity");
  var hidden = document.getElementById("suppressed"), shown = document.getElementById("shown");
  function apply() {
    var rows = document.querySelectorAll("tr.finding"), count = 0;
    for (var i = 0; i !== rows.length; i++) {
      var row = rows[i], visible = true;
      if (rule.value !== "" ? row.getAttribute("data-rule") !== rule.value : false) { visible = false; }
      if (severity.value !== "" ? row.getAttribute("data-severity") !== severity.value : false) { visible = false; }
      if (row.getAttribute("data-suppressed") === "yes" ? !hidden.checked : false) { visible = false; }
      row.style.display = visible ? "" : "none";
      if (visible) { count++; }
    }
    shown.textContent = count + " shown";
  }
  rule.addEventListener("change", apply); severity.addEventListener("change", apply);
  hidden.addEventListener("change", apply); apply();
})();
"""


def _e(value: Any) -> str:
    """Any value as safe HTML text (and XML: control characters are shown escaped)."""
    return html.escape(escape(str(value)), quote=True)


def render(result: Any, context: Any) -> str:
    today = context.today or date.today()
    findings = sorted(result.findings, key=lambda f: (f.suppressed is not None, -f.severity, f.sort_key()))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8"/>',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        "<title>campaign-lint report</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<h1>campaign-lint report</h1>",
        f'<p class="summary">{_e(summary(result))}</p>',
        f'<p class="note">campaign-lint {_e(__version__)}; rules were checked as of {today.isoformat()}. '
        "Not legal advice.</p>",
        '<h2 id="findings">Findings</h2>',
        *_filters(findings),
        *_findings_table(findings, context),
        '<h2 id="week">Calling week</h2>',
        *_weeks(result, today, context.policies),
        f"<script>{_SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _filters(findings: list[Finding]) -> list[str]:
    rules = Counter(f.rule for f in findings)
    names = {f.rule: f.name for f in findings}
    rule_options = "".join(f'<option value="{_e(rule)}">{_e(rule)} {_e(names[rule])} ({count})</option>'
                           for rule, count in sorted(rules.items()))
    severities = Counter(str(f.severity) for f in findings)
    severity_options = "".join(f'<option value="{level}">{level} ({severities[level]})</option>'
                               for level in ("error", "warning", "info"))
    return ['<form class="filters">',
            f'<label>Rule <select id="rule"><option value="">every rule</option>{rule_options}</select></label>',
            f'<label>Severity <select id="severity"><option value="">every severity</option>'
            f"{severity_options}</select></label>",
            '<label><input type="checkbox" id="suppressed"/> suppressed findings</label>',
            '<span id="shown"></span>',
            "</form>"]


def _findings_table(findings: list[Finding], context: Any) -> list[str]:
    if not findings:
        return ['<p class="none">No findings.</p>']
    rows = ['<table class="findings">',
            "<thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Campaign</th>"
            "<th>Message</th></tr></thead>", "<tbody>"]
    for finding in findings:
        suppressed = finding.suppressed is not None
        label = finding.campaign.label() if finding.campaign else None
        message = _e(finding.message)
        if suppressed:
            message += f' <span class="note">(suppressed: {_e(finding.suppressed)})</span>'
        if fixable(finding, context.unsafe_fixes):
            message += ' <span class="note">[fixable with --fix]</span>'
        related = "".join(f"<br/>{_e(r.path or r.region or '')}{_e(f':{r.line}' if r.line else '')} "
                          f"{_e((r.campaign.label() if r.campaign else None) or '')}"
                          for r in finding.related)
        severity = str(finding.severity)
        rows.append(
            f'<tr class="finding{" suppressed" if suppressed else ""}" data-rule="{_e(finding.rule)}" '
            f'data-severity="{severity}" data-suppressed="{"yes" if suppressed else "no"}">'
            f'<td class="sev {severity}">{severity}</td>'
            f'<td class="rule">{_e(finding.rule)}</td>'
            f'<td class="where">{_e(where(finding))}{related}</td>'
            f"<td>{_e(label or '')}</td><td>{message}</td></tr>")
    rows += ["</tbody>", "</table>"]
    return rows


def _weeks(result: Any, today: date, policies: Any = None) -> list[str]:
    campaigns = getattr(result, "loaded", [])
    if not campaigns:
        return ['<p class="none">No campaign was read.</p>']
    monday = monday_of(today)
    out = [f'<p class="note">The week of Monday {monday.isoformat()}, Monday to Sunday; one cell = '
           f'{SLOT_MINUTES} minutes: <span class="s2">&#9608;</span> open, <span class="s1">&#9612;</span> '
           'partly open, <span class="s0">&#183;</span> closed. Default-zone campaigns are drawn for a '
           "callee in that zone (<code>campaign-lint hours FILE --zone Z</code> draws other zones).</p>"]
    for campaign in campaigns:
        out.append('<article class="campaign">')
        out.append(f"<h3>{_e(as_label(campaign))}</h3>")
        packs = [active.pack for active in policies(campaign)] if policies else []
        weeks = campaign_week(campaign, [], today, packs)
        if getattr(campaign, "not_read", False):
            out.append('<p class="note">Not checked: its properties are not known here (see CC002).</p>')
        elif not weeks:
            out.append('<p class="note">No communication time window: the campaign names no hours.</p>')
        out += [line for week in weeks for line in _channel_week(week)]
        out.append("</article>")
    return out


_CHARS = {CLOSED: "&#183;", PARTLY: "&#9612;", OPEN: "&#9608;"}


def _channel_week(week: ChannelWeek) -> list[str]:
    out = [f"<h4>{_e(week.channel)}: {_e(week.reading)}</h4>"]
    out += [f'<p class="note">{_e(note)}</p>' for note in week.notes]
    hours = "".join(f"{hour:02d}  " for hour in range(0, 24, 2))
    for grid in week.grids:
        out.append(f'<table class="week"><caption>{_e(grid.title)}</caption>')
        packs = "".join(f"<th>{_e(pack)} (legal window)</th>" for pack, _ in grid.legal)
        if packs:
            out.append(f"<thead><tr><th></th><th>campaign</th>{packs}</tr>")
        else:
            out.append("<thead>")
        out.append(f"<tr><th></th>{f'<td>{hours}</td>' * (1 + len(grid.legal))}</tr></thead><tbody>")
        for index, (name, row) in enumerate(zip(DAY_NAMES, grid.rows, strict=True)):
            beside = "".join(f"<td>{''.join(_runs(rows[index]))}</td>" for _, rows in grid.legal)
            out.append(f"<tr><th>{name[:3].title()}</th><td>{''.join(_runs(row))}</td>{beside}</tr>")
        out.append("</tbody></table>")
    if week.restricted:
        out.append('<ul class="restricted">')
        out += [f"<li>restricted (closed all day): {_e(name) or '(no name)'} {_e(start)}..{_e(end)}"
                f"{' (past)' if past else ''}</li>" for name, start, end, past in week.restricted]
        out.append("</ul>")
    return out


def _runs(row: Iterable[int]) -> list[str]:
    """A day's slots as runs of one colour: one span per run, not per slot."""
    spans, current, length = [], None, 0
    for state in list(row) + [None]:
        if state == current:
            length += 1
            continue
        if current is not None:
            spans.append(f'<span class="s{current}">{_CHARS[current] * length}</span>')
        current, length = state, 1
    return spans

