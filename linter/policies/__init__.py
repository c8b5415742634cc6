"""Policy packs (CC7xx): which packs a run selects, for which files, for which callees.

Imported only when a pack is selected (or by ``campaign-lint policies`` / ``explain``):
the pre-commit path without packs never reads the pack files or imports ``holidays``.
"""

from __future__ import annotations

from ..record import record, field
from datetime import date
from typing import Any, Callable, Iterable, Mapping, Sequence

from .clock import legal_window
from .pack import DAYS, Cap, Pack, PackError, load_packs, zones_of

__all__ = ["ActivePack", "Cap", "Pack", "PackError", "PolicySet", "legal_window", "load_packs",
           "zones_of", "pack_table", "render_pack", "resolve_ids"]


@record(frozen=True)
class ActivePack:
    """A selected pack with the audience zones of this run, as rules receive it."""

    pack: Pack
    zones: tuple[str, ...]


def resolve_ids(ids: Iterable[str], packs: Mapping[str, Pack], where: str) -> list[str]:
    """Check pack ids; an unknown one is a usage error with a did-you-mean."""
    from ..config import ConfigError
    from ..schema import did_you_mean

    resolved = []
    for pack_id in ids:
        if pack_id not in packs:
            raise ConfigError(f"{where}: unknown policy pack {pack_id!r}"
                              f"{did_you_mean(pack_id, list(packs))} (see: campaign-lint policies)")
        if pack_id not in resolved:
            resolved.append(pack_id)
    return resolved


def audience(pack: Pack, edits: Sequence[str]) -> tuple[str, ...]:
    """A pack's audience zones after ``audience-zones`` edits: plain entries replace the
    pack's audience, ``+X`` adds and ``-X`` removes (X: a zone or a country code)."""
    plain = [e for e in edits if not e.startswith(("+", "-"))]
    zones = [z for entry in (plain or pack.audience) for z in zones_of(entry)]
    for entry in edits:
        if entry.startswith("+"):
            zones += [z for z in zones_of(entry[1:]) if z not in zones]
        elif entry.startswith("-"):
            removed = set(zones_of(entry[1:]))
            zones = [z for z in zones if z not in removed]
    return tuple(dict.fromkeys(zones))


@record
class PolicySet:
    """The packs of a run: ``policies`` for every campaign, ``per-file-policies`` by glob."""

    common: list[ActivePack]
    per_file: dict[str, list[ActivePack]] = field(default_factory=dict)

    @classmethod
    def load(cls, policies: Sequence[str], per_file: Mapping[str, Sequence[str]],
             dirs: Sequence[str], audience_zones: Mapping[str, Sequence[str]], where: str) -> "PolicySet":
        from ..config import ConfigError

        try:
            packs = load_packs(tuple(dirs))
        except PackError as error:
            raise ConfigError(str(error)) from None
        resolve_ids([k for k in audience_zones if k != "*"], packs, f"{where}: audience-zones")

        def active(ids: Sequence[str], context: str) -> list[ActivePack]:
            chosen = []
            for pack_id in resolve_ids(ids, packs, context):
                edits = list(audience_zones.get("*", ())) + list(audience_zones.get(pack_id, ()))
                try:
                    zones = audience(packs[pack_id], edits)
                except ValueError as error:
                    raise ConfigError(f"{where}: audience-zones: {error}") from None
                if not zones:
                    raise ConfigError(f"{where}: audience-zones leave pack {pack_id!r} without a zone")
                chosen.append(ActivePack(packs[pack_id], zones))
            return chosen

        return cls(active(policies, where),
                   {glob: active(ids, f"{where}: per-file-policies {glob!r}") for glob, ids in per_file.items()})

    def for_path(self, path: str | None, matches: Callable[[str, str], bool]) -> list[ActivePack]:
        chosen = list(self.common)
        if path:
            for glob, packs in self.per_file.items():
                if matches(path, glob):
                    chosen += [p for p in packs if p.pack.id not in {c.pack.id for c in chosen}]
        return chosen


# --- presentation -------------------------------------------------------------------------


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def hours_summary(pack: Pack) -> str:
    """``Mon-Fri 09:00-21:30; Sat-Sun 10:00-18:00`` (weekdays with equal hours grouped)."""
    if pack.hours is None:
        return "no statutory hours"
    groups: list[tuple[list[str], str]] = []
    for day in DAYS:
        allowed = pack.allowed(day)
        text = ("no hours rule" if allowed is None else "banned" if not allowed
                else ", ".join(f"{_clock(a)}-{_clock(b)}" for a, b in allowed))
        if groups and groups[-1][1] == text:
            groups[-1][0].append(day)
        else:
            groups.append(([day], text))
    parts = []
    for days, text in groups:
        names = days[0][:3].title() + (f"-{days[-1][:3].title()}" if len(days) > 1 else "")
        parts.append(f"{'every day' if len(days) == 7 else names} {text}")
    clock = f", also on {pack.statute_clock}'s clock" if pack.statute_clock else ""
    return "; ".join(parts) + clock


def holidays_summary(pack: Pack) -> str:
    spec = pack.holidays
    if not spec.get("country") and not spec.get("dates") and not spec.get("annual"):
        return "-"
    parts = []
    if spec.get("country"):
        region = spec["country"] + (f"-{spec['subdivision']}" if spec.get("subdivision") else "")
        parts.append(f"{region} {'/'.join(spec.get('categories') or ['public'])} holidays")
    if spec.get("every-subdivision"):
        parts.append(f"days that are holidays in every {spec['country']} subdivision")
    if spec.get("annual"):
        count = len(spec["annual"])
        parts.append(f"{count} yearly day{'' if count == 1 else 's'} of the pack")
    if spec.get("dates"):
        parts.append(f"{len(spec['dates'])} listed dates")
    return " + ".join(parts)


def caps_summary(pack: Pack) -> str:
    caps = [f"{c.label()}{'' if c.default else ' (narrow scope, off by default)'}" for c in pack.caps]
    return "; ".join(caps) or "-"


def pack_table(packs: Iterable[Pack]) -> str:
    """The README's Markdown table of packs."""
    rows = ["| id | hours (callee-local) | banned days / holidays | caps | citation | last checked | confidence |",
            "|---|---|---|---|---|---|---|"]
    for pack in packs:
        banned = ", ".join(d[:3].title() for d in DAYS if d in pack.banned_days) or "-"
        holidays = holidays_summary(pack)
        days = banned if holidays == "-" else f"{banned}; {holidays}" if banned != "-" else holidays
        rows.append(f"| {pack.id} | {hours_summary(pack)} | {days} | {caps_summary(pack)} | "
                    f"{pack.citation} | {pack.last_checked} | {pack.confidence} |")
    return "\n".join(rows) + "\n"


def render_pack(pack: Pack, today: date | None = None) -> str:
    """What ``campaign-lint explain PACK`` prints (with the banned holidays of the next year)."""
    out = [f"{pack.id}: {pack.title}", "",
           f"Jurisdiction: {pack.jurisdiction}",
           f"Covers:       {', '.join(pack.covers)}; channels {', '.join(pack.channels)}",
           f"Audience:     {', '.join(pack.audience)} (default zones for defaultTimeZone campaigns)",
           f"Hours:        {hours_summary(pack)} (callee-local; a range may end at the window's end)",
           f"Banned days:  {', '.join(d.title() for d in DAYS if d in pack.banned_days) or '-'}",
           f"Holidays:     {holidays_summary(pack)}"]
    if pack.holidays.get("note"):
        out.append(f"              {pack.holidays['note']}")
    if today is not None and holidays_summary(pack) != "-":
        upcoming = pack.holiday_dates(today, date.fromordinal(today.toordinal() + 364))
        out += [f"              {day.isoformat()} {DAYS[day.weekday()][:3].title()} {name}"  # %Y: no padding
                for day, name in upcoming.items()]
    out.append("Caps:" + ("         -" if not pack.caps else ""))
    for cap in pack.caps:
        connect = f"{cap.connect[0]} per {cap.connect[1]} DAY"
        out.append(f"  - {cap.label()} ({'applied by CC704' if cap.default else 'narrow scope: CC704 all-caps'}"
                   f"{', when ' + cap.when if cap.when else ''}): {cap.scope}")
        out.append(f"    Connect limit: {connect} ({'exact' if cap.exact else 'not exact'})"
                   f"{'; ' + cap.note if cap.note else ''}")
    out += ["", f"Citation:     {pack.citation}", f"Source:       {pack.source_url}",
            f"Last checked: {pack.last_checked}", f"Confidence:   {pack.confidence}"]
    if pack.notes:
        out += ["", pack.notes.strip()]
    out += ["", "This is not legal advice: check the cited text and ask counsel.",
            f"Pack file: {pack.path}"]
    return "\n".join(out) + "\n"


def pack_dict(pack: Pack) -> dict[str, Any]:
    """A pack as JSON (``campaign-lint policies --format json``)."""
    return {"id": pack.id, "title": pack.title, "jurisdiction": pack.jurisdiction,
            "covers": list(pack.covers), "channels": list(pack.channels), "audience": list(pack.audience),
            "hours": None if pack.hours is None else {d: [[_clock(a), _clock(b)] for a, b in r]
                                                      for d, r in pack.hours.items()},
            "banned_days": sorted(pack.banned_days, key=DAYS.index), "holidays": dict(pack.holidays),
            "caps": [{"max": c.max, "per_days": c.per_days, "per_hours": c.per_hours, "scope": c.scope,
                      "default": c.default, "connect": {"maxCountPerRecipient": c.connect[0],
                                                        "frequency": c.connect[1], "unit": "DAY"},
                      "exact": c.exact} for c in pack.caps],
            "citation": pack.citation, "source_url": pack.source_url, "last_checked": pack.last_checked,
            "confidence": pack.confidence, "statute_clock": pack.statute_clock, "path": pack.path}


TABLE_START, TABLE_END = "<!-- policies-table:start -->\n", "<!-- policies-table:end -->"


def update_readme(path: str) -> bool:
    """Rewrite the README's pack table between its markers; True if it changed."""
    from ..docs import rewrite_between

    return rewrite_between(path, TABLE_START, TABLE_END, pack_table(load_packs().values()))
