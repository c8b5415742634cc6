"""Shared helpers: run the real CLI in-process or as a subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = "2026-11-28"  # pinned so date rules give the same answer every day

#: YAML for a telephony channel and a frequency cap: appended to test campaigns so that only
#: the rules a test is about have something to say
TELEPHONY_AND_CAP = """\
channelSubtypeConfig:
  telephony:
    connectQueueId: q-1
    outboundMode: {agentless: {}}
    defaultOutboundConfig: {connectContactFlowId: flow-1}
communicationLimitsOverride: {instanceLimitsHandling: OPT_IN}
"""
#: the campaign flow and the console's owner tag (for instance i-1): appended last, so that the
#: CC209/CC210 infos stay quiet where a test is about something else
CONSOLE_READY = """\
connectCampaignFlowArn: arn:aws:connect:us-east-1:123456789012:instance/i-1/contact-flow/f-1:1
tags:
  owner: arn:aws:connect:us-east-1:123456789012:instance/i-1
"""


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)

    def rules(self) -> list[str]:
        return [f["rule"] for f in self.json()["findings"]]


def run_cli(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None) -> Run:
    """Run ``campaign-lint`` in this process, as a user would call it."""
    from campaign_lint.cli import main

    out, err = io.StringIO(), io.StringIO()
    raw = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
    fake_stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    old = (sys.stdout, sys.stderr, sys.stdin, os.getcwd())
    sys.stdout, sys.stderr, sys.stdin = out, err, fake_stdin
    try:
        if cwd is not None:
            os.chdir(cwd)
        code = main(list(args))
    finally:
        sys.stdout, sys.stderr, sys.stdin = old[:3]
        os.chdir(old[3])
    return Run(code, out.getvalue(), err.getvalue())


#: ``python -c`` code that runs the CLI with worker processes started as on Windows (spawned:
#: a fresh interpreter that builds its engine again), whatever the platform
SPAWNING_CLI = ("import multiprocessing\n"
                "multiprocessing.get_all_start_methods = lambda: ['spawn']\n"
                "from campaign_lint.__main__ import run\n"
                "run()\n")


def run_process(*args: str, cwd: Path | None = None, env: dict | None = None,
                stdin: str | None = None, spawn: bool = False) -> subprocess.CompletedProcess:
    """Run ``python -m campaign_lint`` in a fresh interpreter; ``spawn``: its workers are
    spawned, not forked (:data:`SPAWNING_CLI`)."""
    full_env = dict(os.environ, **(env or {}))
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH")]))
    command = ["-c", SPAWNING_CLI] if spawn else ["-m", "campaign_lint"]
    return subprocess.run([sys.executable, *command, *args], cwd=cwd, env=full_env,
                          input=stdin, capture_output=True, text=True, timeout=120)


def set_pointer(document, pointer: str, value) -> None:
    """Set the value at a JSON pointer (without ~ escapes) in a parsed document."""
    *parents, last = pointer.strip("/").split("/")
    node = document
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def run_on_pty(*args: str, env: dict, stdout_on_pty: bool = True) -> tuple[int, bytes]:
    """Run ``python -m campaign_lint`` with stderr (and stdout) on a real pseudo-terminal;
    the exit code and everything the terminal received."""
    import pty

    controller, terminal = pty.openpty()
    full_env = dict(env)
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.run([sys.executable, "-m", "campaign_lint", *args],
                          stdout=terminal if stdout_on_pty else subprocess.DEVNULL,
                          stderr=terminal, env=full_env, timeout=120)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the other side is closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return proc.returncode, shown


def lint_text(tmp_path: Path, text: str, name: str = "campaign.yaml", *extra: str) -> Run:
    """Write ``text`` to a file and lint it with --format json (isolated from config)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run_cli("check", "--isolated", "--today", TODAY, "--format", "json", *extra, str(path))


def findings_of(run: Run, rule: str) -> list[dict]:
    return [f for f in run.json()["findings"] if f["rule"] == rule]


@pytest.fixture
def lint(tmp_path):
    def _lint(text: str, name: str = "campaign.yaml", *extra: str) -> Run:
        return lint_text(tmp_path, text, name, *extra)
    return _lint


@pytest.fixture(autouse=True, scope="session")
def _own_user_cache(tmp_path_factory):
    """The user cache folder (converted schema, the result cache's signing key) per session:
    result-cache entries of an earlier session are not trusted, so every session starts cold."""
    folder = tmp_path_factory.mktemp("user-cache")
    old = os.environ.get("CAMPAIGN_LINT_CACHE_HOME")
    os.environ["CAMPAIGN_LINT_CACHE_HOME"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("CAMPAIGN_LINT_CACHE_HOME", None)
    else:
        os.environ["CAMPAIGN_LINT_CACHE_HOME"] = old
