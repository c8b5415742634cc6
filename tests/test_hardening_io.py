"""Issue 8 (hardening) and 13 (walks, config): what the tool writes, which config it trusts,
what it prints, and that no file is read twice or silently skipped.

Each test is built from the issue's reproducer, with real files, devices, FIFOs, symlinks,
other users' files and subprocesses where a user would meet them.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from .conftest import EXAMPLES, TELEPHONY_AND_CAP, TODAY, findings_of, run_cli
from .test_audit import aws_env, service  # noqa: F401 - the fake AWS service
from .test_pre_commit import pre_commit_env, try_repo  # noqa: F401 - the real pre-commit set-up

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534


@functools.lru_cache(maxsize=None)
def _interpreter_refuses_nobody() -> str | None:
    """Why this interpreter cannot run as ``nobody`` here (None: it can). A Python built into
    root's home may link a libpython that user cannot reach; a permission test then has no
    ordinary user to run as."""
    done = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                           sys.executable, "-c", "pass"], capture_output=True, text=True, check=False)
    return None if done.returncode == 0 else done.stderr.strip().splitlines()[-1]


def ordinary_user() -> int | None:
    """The user a permission test runs the CLI as: ``nobody`` when the tests run as root (root
    reads, lists and writes anything), else the current user. Skips, saying why, when root's
    interpreter cannot run as ``nobody`` on this machine."""
    if not IS_ROOT:
        return None
    refused = _interpreter_refuses_nobody()
    if refused is not None:
        pytest.skip(f"{sys.executable} cannot run as nobody here ({refused}): no ordinary user to test with")
    return NOBODY

CAMPAIGN = """\
id: 0d9a4b3c-1111-2222-3333-444455556666
arn: arn:aws:connect-campaigns:us-east-1:123456789012:campaign/0d9a4b3c-1111-2222-3333-444455556666
name: renewals
connectInstanceId: 9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
connectCampaignFlowArn: arn:aws:connect:us-east-1:123456789012:instance/9f1c2d3e-aaaa-bbbb-cccc-0123456789ab/contact-flow/f-1
tags:
  owner: arn:aws:connect:us-east-1:123456789012:instance/9f1c2d3e-aaaa-bbbb-cccc-0123456789ab
""" + TELEPHONY_AND_CAP

OVERLAP = """\
communicationTimeConfig:
  localTimeZoneConfig: {defaultTimeZone: Europe/Paris}
  telephony:
    openHours:
      dailyHours:
        MONDAY: [{startTime: T09:00, endTime: T12:00}, {startTime: T11:00, endTime: T13:00}]
"""
#: the same campaign with correct hours: no finding at all
CLEAN = CAMPAIGN + OVERLAP.replace("startTime: T11:00", "startTime: T12:00")


def cli(*args: str, cwd: Path | None = None, env: dict | None = None, user: int | None = None,
        stdout=subprocess.PIPE, stdin: bytes | None = None, umask: int | None = None
        ) -> subprocess.CompletedProcess:
    """``campaign-lint`` in a fresh interpreter (bytes args allowed), as a user runs it."""
    full_env = dict(os.environ, **(env or {}))
    full_env.pop("GITHUB_ACTIONS", None)

    def setup() -> None:
        if umask is not None:
            os.umask(umask)

    as_user = [] if user is None else ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"]
    return subprocess.run([*as_user, sys.executable, "-m", "campaign_lint", *args], cwd=cwd, env=full_env,
                          input=stdin, stdout=stdout, stderr=subprocess.PIPE, timeout=120, preexec_fn=setup)


def quick(*args: str, cwd: Path | None = None, env: dict | None = None,
          stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """The same run in this process (faster), where no subprocess feature is the point."""
    saved = {name: os.environ.get(name) for name in env or {}}
    os.environ.update(env or {})
    try:
        run = run_cli(*args, cwd=cwd, stdin=stdin)
    finally:
        for name, value in saved.items():
            os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)
    return subprocess.CompletedProcess(args, run.code, run.out.encode("utf-8"), run.err.encode("utf-8"))


def err(run: subprocess.CompletedProcess) -> str:
    return run.stderr.decode("utf-8", "replace")


def one_line_error(run: subprocess.CompletedProcess, *words: str) -> None:
    text = err(run)
    assert run.returncode == 2, text
    assert text.count("\n") == 1 and "Traceback" not in text and "internal error" not in text, text
    for word in words:
        assert word in text, text


@pytest.fixture
def shared_tmp():
    """A folder other users can enter (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="campaign-lint-test-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


# --- issue 8.1: --output / --write-baseline / --save never destroy --------------------------

@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_writing_over_an_input_is_refused_and_nothing_is_written(tmp_path, option):
    campaign = tmp_path / "c.yaml"
    campaign.write_text(CAMPAIGN)
    run = quick("check", "--isolated", option, str(campaign), str(campaign))
    one_line_error(run, "one of the run's inputs")
    assert campaign.read_text() == CAMPAIGN


def test_writing_over_an_input_found_in_a_folder_or_through_a_link_is_refused(tmp_path):
    (tmp_path / "campaigns").mkdir()
    campaign = tmp_path / "campaigns" / "c.json"
    campaign.write_text(json.dumps({"campaign": {"name": "x", "connectInstanceId": "i"}}))
    (tmp_path / "link.json").symlink_to(campaign)
    before = campaign.read_text()
    for output in (campaign, tmp_path / "link.json"):
        run = quick("check", "--isolated", "-o", str(output), str(tmp_path / "campaigns"))
        one_line_error(run, "refusing to overwrite")
    assert campaign.read_text() == before and (tmp_path / "link.json").is_symlink()


def test_output_to_a_device_writes_through_and_keeps_the_device(tmp_path):
    if IS_ROOT:  # the reproducer: as root, -o /dev/null turned the device into a regular file
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        device = Path(os.devnull)
    run = cli("check", "--isolated", "-o", str(device), str(EXAMPLES / "clean"))
    assert run.returncode == 0, err(run)
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_output_to_a_fifo_writes_through_it(tmp_path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received = []
    # a daemon: if the FIFO were replaced, the reader would wait for ever on the old one
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    run = cli("check", "--isolated", "--format", "json", "-o", str(fifo), str(EXAMPLES / "clean"))
    assert run.returncode == 0, err(run)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    reader.join(timeout=30)
    assert received and json.loads(received[0])["summary"]["campaigns"] == 2


def test_output_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path):
    (tmp_path / "reports").mkdir()
    target = tmp_path / "reports" / "lint.json"
    target.write_text("old report\n")
    link = tmp_path / "lint.json"
    link.symlink_to(target)
    run = cli("check", "--isolated", "--format", "json", "-o", str(link), str(EXAMPLES / "clean"))
    assert run.returncode == 0, err(run)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["version"] == 1
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["lint.json"]  # no temp left


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o027, 0o640)])
def test_a_new_report_gets_the_umask_permissions_not_0600(tmp_path, umask, mode):
    for option in ("-o", "--write-baseline"):
        path = tmp_path / f"out{option}.json"
        run = cli("check", "--isolated", option, str(path), str(EXAMPLES / "clean"), umask=umask)
        assert run.returncode == 0, err(run)
        assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_replaced_report_keeps_its_permissions(tmp_path):
    path = tmp_path / "lint.sarif"
    path.write_text("{}")
    path.chmod(0o640)
    run = cli("check", "--isolated", "--format", "sarif", "-o", str(path), str(EXAMPLES / "clean"))
    assert run.returncode == 0, err(run)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and "runs" in path.read_text()


def test_a_file_with_hard_links_is_written_in_place_and_stays_one_file(tmp_path):
    from campaign_lint.atomic import write_atomic

    original, link = tmp_path / "report.txt", tmp_path / "other-name.txt"
    original.write_text("old report, longer than the new one\n")
    os.link(original, link)
    inode = original.stat().st_ino
    write_atomic(str(original), "new\n")
    assert link.read_text() == original.read_text() == "new\n"  # a replace left the link with the old text
    assert original.stat().st_ino == inode and original.stat().st_nlink == 2
    assert not list(tmp_path.glob(".campaign-lint-*"))


def test_a_failed_write_in_place_names_the_file_holding_the_whole_new_text(tmp_path, monkeypatch):
    import builtins

    from campaign_lint.atomic import write_atomic

    original, link = tmp_path / "c.yaml", tmp_path / "link.yaml"
    original.write_text("old\n" * 50)
    os.link(original, link)
    real_open = builtins.open

    class FullDisk:  # the in-place stream: the disk fills after the first bytes
        def __init__(self, stream):
            self.stream = stream

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

        def write(self, data):
            self.stream.write(data[:10])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(builtins, "open", lambda path, mode="r", *a, **k: FullDisk(real_open(path, mode, *a, **k))
                        if mode == "r+b" else real_open(path, mode, *a, **k))
    with pytest.raises(OSError) as raised:
        write_atomic(str(original), "new text\n" * 40)
    [kept] = tmp_path.glob(".campaign-lint-*.tmp")
    assert raised.value.errno == 28 and str(kept) in raised.value.strerror
    assert kept.read_text() == "new text\n" * 40


def test_the_writer_refuses_a_folder():
    from campaign_lint.atomic import write_atomic

    with pytest.raises(IsADirectoryError):
        write_atomic(tempfile.gettempdir(), "x")


def test_audit_save_keeps_links_and_gives_umask_permissions(service, tmp_path):  # noqa: F811
    from .test_audit import audit, campaigns

    service({"us-east-1": campaigns(1)})
    saved_dir = tmp_path / "saved"
    assert audit("--region", "us-east-1", "--save", str(saved_dir)).code == 0
    [saved] = saved_dir.rglob("*.json")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o666 & ~umask  # what open() gives, not 0600
    kept = tmp_path / "kept.json"
    saved.rename(kept)
    saved.symlink_to(kept)  # the user keeps the snapshot elsewhere in the repository
    (tmp_path / ".git").mkdir()  # (a link out of it is refused: test_security_review)
    kept.write_text("stale\n")
    assert audit("--region", "us-east-1", "--save", str(saved_dir)).code == 0
    assert saved.is_symlink() and json.loads(kept.read_text())["campaign"]["name"]


# --- issue 8.6: odd output names and a full stdout ------------------------------------------

def test_a_non_utf8_output_name_is_written(tmp_path):
    name = os.fsencode(tmp_path) + b"/report-\xff.json"
    run = cli(b"check", b"--isolated", b"--format", b"json", b"-o", name, os.fsencode(EXAMPLES / "clean"))
    assert run.returncode == 0, err(run)
    assert json.loads(Path(os.fsdecode(name)).read_text())["summary"]["files"] == 2


def test_a_non_utf8_file_name_is_reported_escaped(tmp_path):
    name = os.fsencode(tmp_path) + b"/bad-\xff\x1b[2J.yaml"
    Path(os.fsdecode(name)).write_text("connectInstanceId: [unclosed\n")
    for output_format in ("text", "json", "sarif", "junit", "github"):
        run = quick("check", "--isolated", "--format", output_format, os.fsdecode(name))
        assert run.returncode == 1, err(run)
        out = run.stdout.decode("utf-8")  # always valid UTF-8
        assert "\x1b" not in out, output_format
    assert "bad-\\udcff\\x1b[2J.yaml:2:1: CC001" in quick("check", "--isolated", os.fsdecode(name)).stdout.decode()


def test_a_full_stdout_is_a_one_line_error():
    with open("/dev/full", "w") as full:
        run = cli("check", "--isolated", str(EXAMPLES / "clean"), stdout=full)
    one_line_error(run, "cannot write the report to stdout", "No space left on device")


@pytest.mark.parametrize("arguments", [
    ("hours", "--isolated", str(EXAMPLES / "clean" / "appointment-reminders.yaml")),
    ("check", "--isolated", "--diff", str(EXAMPLES / "broken")),
    ("explain", "--isolated", "CC3"),
    ("--version",),
], ids=["hours", "diff", "explain-prefix", "version"])
def test_every_command_on_a_full_stdout_is_a_one_line_error(arguments, tmp_path):
    """Not only check's report: the week grid, a diff, a rule listing and the version line
    to /dev/full are the same usage error, not an internal error asking to be reported."""
    with open("/dev/full", "w") as full:
        run = cli(*arguments, stdout=full, cwd=tmp_path)
    one_line_error(run, "cannot write the report to stdout", "No space left on device")


@pytest.mark.parametrize("folder,code", [("clean", 0), ("broken", 1)])
def test_a_closed_stdout_pipe_keeps_the_exit_code_of_the_run(folder, code):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (``| head -0``) is gone before anything is written
    try:
        run = cli("check", "--isolated", "--today", TODAY, str(EXAMPLES / folder), stdout=write_end)
    finally:
        os.close(write_end)
    assert run.returncode == code, err(run)
    assert err(run) == ""


# --- issue 8.2 and 13.9: which config is read, and whether it is trusted ---------------------

IGNORE_CC3 = 'ignore = ["CC3"]\n'


def _overlapping_project(folder: Path) -> Path:
    (folder / "campaigns").mkdir(parents=True)
    (folder / "campaigns" / "c.yaml").write_text(CAMPAIGN + OVERLAP)
    return folder


def _rules(run: subprocess.CompletedProcess) -> list[str]:
    return [f["rule"] for f in json.loads(run.stdout)["findings"]]


def test_discovery_stops_at_the_repository_root(tmp_path):
    (tmp_path / ".campaign-lint.toml").write_text(IGNORE_CC3)
    repo = _overlapping_project(tmp_path / "repo")
    (repo / ".git").mkdir()
    run = quick("check", "--format", "json", "--today", TODAY, "campaigns", cwd=repo)
    assert "CC301" in _rules(run)  # the config above the repository was not read
    (repo / ".campaign-lint.toml").write_text(IGNORE_CC3)
    assert "CC301" not in _rules(quick("check", "--format", "json", "--today", TODAY, "campaigns", cwd=repo))


def test_discovery_stops_at_home(tmp_path):
    (tmp_path / ".campaign-lint.toml").write_text(IGNORE_CC3)
    home = _overlapping_project(tmp_path / "home")
    run = quick("check", "--format", "json", "--today", TODAY, "campaigns", cwd=home, env={"HOME": str(home)})
    assert "CC301" in _rules(run)


def test_config_is_found_from_the_linted_files_folder_not_the_current_one(tmp_path):
    project = _overlapping_project(tmp_path / "project")
    (project / ".git").mkdir()
    (project / "pyproject.toml").write_text("[tool.campaign-lint]\n" + IGNORE_CC3)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = quick("check", "--format", "json", "--today", TODAY, str(project / "campaigns"), cwd=elsewhere)
    assert run.returncode == 0 and "CC301" not in _rules(run), run.stdout
    piped = quick("check", "--format", "json", "--today", TODAY, "--stdin-filename",
                  str(project / "campaigns" / "new.yaml"), cwd=elsewhere, stdin=(CAMPAIGN + OVERLAP).encode())
    assert piped.returncode == 0 and "CC301" not in _rules(piped), piped.stdout


@pytest.mark.skipif(not IS_ROOT, reason="giving a file to another user needs root")
def test_a_config_planted_by_another_user_is_refused_and_runs_nothing(shared_tmp):
    """The reproducer: a /tmp/.campaign-lint.toml planted by another user ran code as root."""
    shared_tmp.chmod(0o1777)  # like /tmp: world-writable, sticky
    marker = shared_tmp / "pwned"
    (shared_tmp / "evil").mkdir()
    (shared_tmp / "evil" / "x.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    config = shared_tmp / ".campaign-lint.toml"
    config.write_text('rules-dirs = ["evil"]\n')
    os.chown(config, NOBODY, NOBODY)
    work = _overlapping_project(shared_tmp / "work")
    run = cli("check", "campaigns/c.yaml", cwd=work)
    one_line_error(run, str(config), "owned by another user", "--config")
    assert not marker.exists()
    trusted = cli("check", "--config", str(config), "--rules-dir", str(shared_tmp / "evil"),
                  "--today", TODAY, "campaigns", cwd=work)  # pointed at explicitly: the user's choice
    assert trusted.returncode == 1 and marker.exists(), err(trusted)


def test_a_config_anyone_can_replace_is_refused(tmp_path):
    folder = _overlapping_project(tmp_path / "open")
    folder.chmod(0o777)  # world-writable, no sticky bit: anyone may swap the file
    (folder / ".campaign-lint.toml").write_text(IGNORE_CC3)
    one_line_error(quick("check", "campaigns", cwd=folder), "world-writable without the sticky bit")
    folder.chmod(0o755)
    (folder / ".campaign-lint.toml").chmod(0o666)
    one_line_error(quick("check", "campaigns", cwd=folder), "anyone may write to it")


@pytest.mark.parametrize("rules_dir", ["../outside", "inside-link"])
def test_rules_dirs_must_stay_in_the_configs_folder(tmp_path, rules_dir):
    (tmp_path / "outside").mkdir()
    project = _overlapping_project(tmp_path / "project")
    (project / "inside-link").symlink_to(tmp_path / "outside")
    (project / ".campaign-lint.toml").write_text(f'rules-dirs = ["{rules_dir}"]\n')
    one_line_error(quick("check", "campaigns", cwd=project), "rules-dirs", "outside")


def test_a_non_utf8_pyproject_in_a_parent_folder(tmp_path):
    project = _overlapping_project(tmp_path / "project")
    (project / ".git").mkdir()
    (project / "pyproject.toml").write_bytes(b"[project]\nname = 'caf\xe9'\n")  # not ours: passed over
    assert quick("check", "--today", TODAY, ".", cwd=project / "campaigns").returncode == 1
    (project / "pyproject.toml").write_bytes(b"[tool.campaign-lint]\n# caf\xe9\n")
    one_line_error(quick("check", ".", cwd=project / "campaigns"), "pyproject.toml", "not UTF-8", "line 2")


@pytest.mark.parametrize("text,words", [
    ("[tool]\ncampaign-lint = 5\n", ["tool.campaign-lint must be a table", "pyproject.toml"]),
    ("[tool.campaign-lint]\nselct = ['CC3']\n", ["unknown key 'selct'", 'did you mean "select"']),
    ("[tool.campaign-lint]\nselect = []\n", ["select is empty"]),
    ("[tool.campaign-lint]\nfail-on = 3\n", ["fail-on must be one of"]),
])
def test_config_errors_name_the_key_and_the_file(tmp_path, text, words):
    project = _overlapping_project(tmp_path)
    (project / ".git").mkdir()
    (project / "pyproject.toml").write_text(text)
    one_line_error(quick("check", "campaigns", cwd=project), str(project / "pyproject.toml"), *words)


def test_config_option_takes_the_table_from_any_toml_file(tmp_path):
    project = _overlapping_project(tmp_path)
    (project / "ci.toml").write_text("[tool.campaign-lint]\n" + IGNORE_CC3)
    run = quick("check", "--config", "ci.toml", "--format", "json", "--today", TODAY, "campaigns", cwd=project)
    assert run.returncode == 0 and "CC301" not in _rules(run), err(run)
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    one_line_error(quick("check", "--config", "pyproject.toml", "campaigns", cwd=project),
                   "no [tool.campaign-lint] table")


def test_an_empty_select_is_an_error_not_every_rule_off(tmp_path):
    one_line_error(quick("check", "--isolated", "--select", "", str(EXAMPLES / "broken")), "--select", "names no rule")


@pytest.mark.parametrize("where", ["--ignore", "per-file-ignores"])
def test_ignoring_cc001_is_refused_not_silently_accepted(tmp_path, where):
    (tmp_path / "bad.json").write_text('{"connectInstanceId": ')
    if where == "--ignore":
        run = quick("check", "--isolated", "--ignore", "CC001", "bad.json", cwd=tmp_path)
    else:
        (tmp_path / ".campaign-lint.toml").write_text('[per-file-ignores]\n"*.json" = ["CC001"]\n')
        run = quick("check", "bad.json", cwd=tmp_path)
    one_line_error(run, "--ignore: CC001 cannot be ignored" if where == "--ignore" else
                   ".campaign-lint.toml: per-file-ignores '*.json': CC001 cannot be ignored")


# --- issue 8.3: every format escapes what it prints ---------------------------------------------

FORGED_NAME = "x\n::error file=README.md,line=1::forged\n/etc/passwd:1:1: CC999 error: forged\x1b[2K\r\x00"


def _forging_campaign(tmp_path: Path, name: str = FORGED_NAME) -> Path:
    path = tmp_path / "c.json"
    campaign = {"name": name, "connectInstanceId": "9f1c2d3e-aaaa-bbbb-cccc-0123456789ab",
                "communicationTimeConfig": {"localTimeZoneConfig": {"defaultTimeZone": "Mars/Base"}}}
    path.write_text(json.dumps(campaign))
    return path


def test_text_output_shows_control_characters_escaped(tmp_path):
    path = _forging_campaign(tmp_path)
    out = quick("check", "--isolated", "--today", TODAY, str(path)).stdout.decode()
    lines = out.splitlines()
    assert all(line.startswith(str(path)) for line in lines[:-1]) and lines[-1].startswith("Found")
    assert "\x1b" not in out and "\r" not in out and "\x00" not in out
    assert "[x\\n::error file=README.md,line=1::forged\\n/etc/passwd:1:1: CC999 error: forged\\x1b" in out


def test_github_output_cannot_be_forged(tmp_path):
    path = _forging_campaign(tmp_path)
    out = quick("check", "--isolated", "--format", "github", "--today", TODAY, str(path)).stdout.decode()
    lines = out.splitlines()
    assert all(line.startswith("::") for line in lines[:-1])
    assert not any(line.startswith("::error file=README.md") for line in lines)
    assert "[x\\n::error file=README.md" in out and "\x1b" not in out and "\\x1b" in out


def test_junit_output_always_parses(tmp_path):
    # (a lone surrogate in a file is CC001 since the parser hardening: the reporters' surrogate
    # escaping is covered by the hypothesis test on any text)
    path = _forging_campaign(tmp_path, "bell\x07nul\x00esc\x1b\ufffe")
    run = quick("check", "--isolated", "--format", "junit", "--today", TODAY, str(path))
    root = ET.fromstring(run.stdout)
    cases = [case.get("name") for case in root.iter("testcase")]
    assert any(name.startswith("bell\\x07nul\\x00esc\\x1b\\ufffe:") for name in cases), cases
    from junitparser import JUnitXml

    junit_file = tmp_path / "junit.xml"
    junit_file.write_bytes(run.stdout)
    assert sum(suite.failures for suite in JUnitXml.fromfile(str(junit_file))) >= 1


def test_long_labels_are_truncated_in_every_format(tmp_path):
    path = _forging_campaign(tmp_path, "n" * 1_000_000)
    for output_format in ("text", "github", "junit"):
        out = quick("check", "--isolated", "--format", output_format, "--today", TODAY, str(path)).stdout
        assert len(out) < 20_000, (output_format, len(out))


# --- issue 8.11: check never passes by reading nothing, and reads each file once -------------------

def test_an_unreadable_folder_is_cc001(shared_tmp):
    (shared_tmp / "campaigns" / "locked").mkdir(parents=True)
    (shared_tmp / "campaigns" / "ok.yaml").write_text(CAMPAIGN)
    (shared_tmp / "campaigns" / "locked" / "c.yaml").write_text(CAMPAIGN + OVERLAP)
    (shared_tmp / "campaigns" / "locked").chmod(0o000)
    run = cli("check", "--isolated", "--format", "json", "--today", TODAY, "campaigns", cwd=shared_tmp,
              user=ordinary_user())  # root reads any folder: run as an ordinary user
    assert run.returncode == 1, err(run)
    finding = next(f for f in json.loads(run.stdout)["findings"] if f["rule"] == "CC001")
    assert finding["file"] == "campaigns/locked" and "cannot list the folder" in finding["message"]
    assert finding["severity"] == "error"


def test_a_folder_not_read_gets_its_cc001_and_no_no_file_found_warning(shared_tmp):
    """The reproducer: ``check locked`` printed "no .json, .yaml or .yml file found" beside the
    CC001 that says the folder could not be listed. An empty folder still gets the warning."""
    (shared_tmp / "locked").mkdir()
    (shared_tmp / "locked" / "c.yaml").write_text(CAMPAIGN)
    (shared_tmp / "locked").chmod(0o000)
    (shared_tmp / "empty").mkdir()
    run = cli("check", "--isolated", "locked", cwd=shared_tmp,
              user=ordinary_user())  # root lists any folder: run as an ordinary user
    assert run.returncode == 1, err(run)
    assert run.stdout.decode().startswith("locked:1:1: CC001 error: cannot list the folder")
    assert err(run) == ""
    empty = cli("check", "--isolated", "empty", cwd=shared_tmp)
    assert empty.returncode == 0 and "no .json, .yaml or .yml file found in empty" in err(empty)


def test_a_link_not_followed_gets_its_cc001_and_no_no_file_found_warning(tmp_path):
    (tmp_path / "elsewhere.yaml").write_text(CAMPAIGN)
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "campaigns").mkdir()
    (tmp_path / "repo" / "campaigns" / "c.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    run = quick("check", "--isolated", "campaigns", cwd=tmp_path / "repo")
    assert run.returncode == 0 and b"CC001 info: a symlink that leads out of the repository" in run.stdout
    assert err(run) == ""


@pytest.mark.parametrize("command", ["check", "hours"])
def test_a_file_in_a_folder_that_cannot_be_entered_says_permission_denied(shared_tmp, command):
    """The reproducer: ``check locked/c.yaml`` said "no such file or directory"."""
    (shared_tmp / "campaigns" / "locked").mkdir(parents=True)
    (shared_tmp / "campaigns" / "locked" / "c.yaml").write_text(CAMPAIGN)
    (shared_tmp / "campaigns" / "locked").chmod(0o000)
    run = cli(command, "campaigns/locked/c.yaml", cwd=shared_tmp,
              user=ordinary_user())  # root enters any folder: run as an ordinary user
    one_line_error(run, "campaigns/locked/c.yaml: permission denied: the folder campaigns/locked "
                        "cannot be entered", "search (x) permission")
    assert "no such file" not in err(run)


def test_a_folder_listed_but_not_entered_is_cc001_not_an_empty_pass(shared_tmp):
    """The reproducer: a folder with read but no search permission (chmod 644) lists its names
    but no file in it can be opened; ``check campaigns`` said "no .json, .yaml or .yml file
    found in campaigns" and exited 0, its campaigns never checked."""
    (shared_tmp / "campaigns" / "listed").mkdir(parents=True)
    (shared_tmp / "campaigns" / "listed" / "c.yaml").write_text(CAMPAIGN + OVERLAP)
    (shared_tmp / "campaigns" / "listed").chmod(0o644)
    run = cli("check", "--isolated", "--format", "json", "--today", TODAY, "campaigns", cwd=shared_tmp,
              user=ordinary_user())  # root enters any folder: run as an ordinary user
    assert run.returncode == 1, err(run)
    assert err(run) == ""
    found = [f for f in json.loads(run.stdout)["findings"] if f["rule"] == "CC001"]
    assert len(found) == 1, run.stdout
    finding = found[0]
    assert finding["file"] == "campaigns/listed" and finding["severity"] == "error"
    assert finding["message"] == "cannot enter the folder: Permission denied; its files were not checked"


def _file_as_folder(tmp_path: Path) -> Path:
    (tmp_path / "campaigns.yaml").write_text(CAMPAIGN)
    return tmp_path / "campaigns.yaml" / "c.yaml"


def _dangling_link(tmp_path: Path) -> Path:
    (tmp_path / "c.yaml").symlink_to(tmp_path / "gone.yaml")
    return tmp_path / "c.yaml"


def _link_loop(tmp_path: Path) -> Path:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    return tmp_path / "loop" / "c.yaml"


@pytest.mark.parametrize("make, expected", [
    (_file_as_folder, "c.yaml: not a directory: {tmp}/campaigns.yaml is a file, not a folder; correct the path"),
    (_dangling_link, "c.yaml: a symbolic link to {tmp}/gone.yaml, which does not exist"),
    (_link_loop, "c.yaml: too many levels of symbolic links: a link on the path leads back to itself"),
    (lambda tmp: tmp / "nope.yaml", "nope.yaml: no such file or directory"),
], ids=["file-as-folder", "dangling-link", "link-loop", "missing"])
def test_a_path_that_cannot_be_reached_says_why(tmp_path, make, expected):
    """The message comes from the real error the file system gives for the path."""
    from campaign_lint.sources.files import unreachable

    path = make(tmp_path)
    assert unreachable(str(path)) == f"{path.parent}/{expected.format(tmp=tmp_path)}"
    one_line_error(quick("check", "--isolated", str(path)), expected.format(tmp=tmp_path))


def test_an_empty_path_is_named_as_one(tmp_path):
    # check '' said ": no such file or directory", the empty name unquoted
    from campaign_lint.sources.files import unreachable

    assert unreachable("") == '"": an empty path names no file or folder'
    one_line_error(quick("check", "--isolated", ""), '"": an empty path names no file or folder')


def test_a_file_named_twice_is_linted_once(tmp_path):
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "c.yaml").write_text(CAMPAIGN + OVERLAP)
    (tmp_path / "alias.yaml").symlink_to(tmp_path / "campaigns" / "c.yaml")
    run = run_cli("check", "--isolated", "--format", "json", "--today", TODAY, "campaigns",
                  "campaigns/c.yaml", "./campaigns/c.yaml", "alias.yaml", cwd=tmp_path)
    document = run.json()
    assert document["summary"]["files"] == 1 and document["summary"]["campaigns"] == 1
    assert run.rules() == ["CC301"]  # not compared with itself by CC602 duplicate-name


def test_copies_of_one_campaign_count_once_with_an_info_finding(tmp_path):
    (tmp_path / "a.yaml").write_text(CLEAN)
    (tmp_path / "b.yaml").write_text("# an audit snapshot of the same campaign\n" + CLEAN)
    run = run_cli("check", "--isolated", "--format", "json", "--today", TODAY, "a.yaml", "b.yaml", cwd=tmp_path)
    assert run.code == 0 and run.rules() == ["CC005"], run.out
    finding = findings_of(run, "CC005")[0]
    assert finding["file"] == "b.yaml" and finding["severity"] == "info"
    assert "also in a.yaml:1" in finding["message"] and finding["line"] == 2
    other = CLEAN.replace("0d9a4b3c", "7e8f9a0b")  # a different campaign of the same name
    (tmp_path / "b.yaml").write_text(other)
    run = run_cli("check", "--isolated", "--format", "json", "--today", TODAY, "a.yaml", "b.yaml", cwd=tmp_path)
    assert "CC602" in run.rules() and "CC005" not in run.rules()


def test_stdin_filename_without_dash_reads_stdin_or_is_refused(tmp_path):
    (tmp_path / "other.yaml").write_text(CAMPAIGN + OVERLAP)
    run = quick("check", "--isolated", "--format", "json", "--today", TODAY, "--stdin-filename",
              "campaigns/new.yaml", cwd=tmp_path, stdin=CLEAN.encode())
    document = json.loads(run.stdout)
    assert run.returncode == 0 and document["summary"]["files"] == 1, document  # stdin, not the folder
    one_line_error(quick("check", "--isolated", "--stdin-filename", "x.yaml", "other.yaml", cwd=tmp_path,
                       stdin=b""), "--stdin-filename", "'-'")


# --- issue 8.12: the baseline hides neither unchecked input nor its own staleness ---------------------

def test_the_baseline_never_hides_cc001(tmp_path):
    (tmp_path / "c.json").write_text('{"connectInstanceId": ')
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"version": 1, "findings": [
        {"rule": "CC001", "file": "c.json", "region": None, "campaign": None, "pointer": None}]}))
    run = run_cli("check", "--isolated", "--format", "json", "--baseline", str(baseline), "c.json", cwd=tmp_path)
    assert run.code == 1 and [f["suppressed"] for f in findings_of(run, "CC001")] == [None]
    run_cli("check", "--isolated", "--write-baseline", str(baseline), "c.json", cwd=tmp_path)
    assert json.loads(baseline.read_text())["findings"] == []  # not recorded either


def test_stale_baseline_entries_are_reported_as_info(tmp_path):
    (tmp_path / "c.yaml").write_text(CAMPAIGN + OVERLAP)
    (tmp_path / "other.yaml").write_text(CAMPAIGN.replace("0d9a4b3c", "7e8f9a0b").replace("renewals", "x")
                                         + OVERLAP)
    baseline = str(tmp_path / "baseline.json")
    wrote = run_cli("check", "--isolated", "--today", TODAY, "--write-baseline", baseline, ".", cwd=tmp_path)
    assert wrote.code == 0
    (tmp_path / "c.yaml").write_text(CAMPAIGN)  # fixed: its entry is stale now
    run = run_cli("check", "--isolated", "--format", "json", "--today", TODAY, "--baseline", baseline,
                  ".", cwd=tmp_path)
    assert run.code == 0, run.out
    stale = findings_of(run, "CC012")
    assert [(f["file"], f["severity"]) for f in stale] == [("c.yaml", "info")]
    assert "CC301" in stale[0]["message"] and "--write-baseline" in stale[0]["message"]
    only_other = run_cli("check", "--isolated", "--format", "json", "--today", TODAY, "--baseline", baseline,
                         "other.yaml", cwd=tmp_path)  # c.yaml not linted: its entry is not judged
    assert findings_of(only_other, "CC012") == []


def test_stale_baseline_entries_of_an_audit_name_their_region(service, tmp_path):  # noqa: F811
    from .test_audit import audit, campaigns, overlapping

    items = campaigns(2)
    overlapping(items[0])
    fake = service({"us-east-1": items})
    baseline = str(tmp_path / "baseline.json")
    assert audit("--region", "us-east-1", "--write-baseline", baseline).code == 0
    fake.stop()
    service({"us-east-1": campaigns(2)})  # the overlap was fixed in the account
    run = audit("--region", "us-east-1", "--baseline", baseline)
    stale = findings_of(run, "CC012")
    assert run.code == 0 and [(f["region"], f["file"], f["severity"]) for f in stale] == [
        ("us-east-1", None, "info")], run.out
    assert "CC301" in stale[0]["message"]


# --- issue 8.13: pre-commit over files that are not campaigns ----------------------------------------

@pytest.mark.parametrize("name,text,code,severity", [
    ("tsconfig.json", '{\n  // comments are not JSON\n  "compilerOptions": {}\n}\n', 0, "info"),
    ("templates/deployment.yaml", "metadata:\n  name: {{ .Release.Name }}\n  x: [\n", 0, "info"),
    ("campaign.json", '{\n  // a campaign\n  "connectInstanceId": "i"\n}\n', 1, "error"),
    ("main.tf.json", '{"resource": {"awscc_connectcampaignsv2_campaign": {,}}}', 1, "error"),
])
def test_unparseable_files_fail_only_when_they_look_like_campaigns(tmp_path, name, text, code, severity):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    run = run_cli("check", "--isolated", "--format", "json", str(path))
    assert run.code == code and [f["severity"] for f in findings_of(run, "CC001")] == [severity]


@pytest.mark.parametrize("raw", [b"", b"  \n\n", b"# only a comment\n"])
def test_an_empty_file_is_cc002_like_a_comments_only_one(tmp_path, raw):
    (tmp_path / "values.yaml").write_bytes(raw)
    (tmp_path / "empty.json").write_bytes(raw if not raw.startswith(b"#") else b"")
    run = run_cli("check", "--isolated", "--format", "json", "values.yaml", "empty.json", cwd=tmp_path)
    assert run.code == 0 and run.rules() == ["CC002", "CC002"], run.out


def test_pre_commit_passes_a_commit_of_non_campaign_files(tmp_path, pre_commit_env):  # noqa: F811
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=pre_commit_env)
    (repo / "tsconfig.json").write_text('{\n  // comment\n  "compilerOptions": {}\n}\n')
    (repo / "values.yaml").write_text("")
    shutil.copy(EXAMPLES / "clean" / "renewals-describe.json", repo / "good.json")
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=pre_commit_env)
    run = try_repo(repo, pre_commit_env, "tsconfig.json", "values.yaml", "good.json")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout


# --- issue 8.14: SARIF URIs ------------------------------------------------------------------------------

def test_sarif_uris_are_percent_encoded(tmp_path):
    from jsonschema import Draft7Validator

    from .test_ci_outputs import SARIF_SCHEMA

    (tmp_path / ".git").mkdir()
    (tmp_path / "my campaigns #1").mkdir()
    (tmp_path / "my campaigns #1" / "100% ü.yaml").write_text(CAMPAIGN + OVERLAP)
    run = run_cli("check", "--isolated", "--format", "sarif", "--today", TODAY, ".", cwd=tmp_path)
    document = json.loads(run.out)
    Draft7Validator(json.loads(Path(SARIF_SCHEMA).read_text())).validate(document)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
    assert uris == {"my%20campaigns%20%231/100%25%20%C3%BC.yaml"}


# --- issue 13.8: folder walks and github paths -------------------------------------------------------------

def test_walks_respect_gitignore_and_skip_virtual_environments(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("generated/\n*.tmp.json\n!keep.tmp.json\n")
    for name in ("campaigns/a.yaml", "campaigns/generated/g.yaml", "campaigns/x.tmp.json",
                 "campaigns/keep.tmp.json", "campaigns/sub/b.yaml", "campaigns/sub/local.yaml",
                 ".ci-venv/lib/site-packages/pkg/data.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text('{"name": "x"}' if name.endswith(".json") else "name: x\n")
    (tmp_path / "campaigns" / "sub" / ".gitignore").write_text("local.yaml\n")
    (tmp_path / ".ci-venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    run = run_cli("check", "--isolated", "--format", "json", ".", cwd=tmp_path)
    assert sorted(f["file"] for f in run.json()["findings"]) == [
        "campaigns/a.yaml", "campaigns/keep.tmp.json", "campaigns/sub/b.yaml"]
    from_below = run_cli("check", "--isolated", "--format", "json", "sub", cwd=tmp_path / "campaigns")
    assert [f["file"] for f in from_below.json()["findings"]] == ["sub/b.yaml"]
    named = run_cli("check", "--isolated", "--format", "json", "campaigns/generated", cwd=tmp_path)
    assert [f["file"] for f in named.json()["findings"]] == ["campaigns/generated/g.yaml"]  # asked for


def test_github_paths_are_relative_to_the_repository_root(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    _overlapping_project(tmp_path)
    (tmp_path / "tools").mkdir()
    run = run_cli("check", "--isolated", "--format", "github", "--today", TODAY, "../campaigns",
                  cwd=tmp_path / "tools")
    assert run.out.startswith("::error file=campaigns/c.yaml,line="), run.out


# --- any text, every format: one line per finding, parseable XML, encodable output ---------------

@settings(max_examples=150, deadline=None)
@given(name=st.text(max_size=300), message=st.text(max_size=100), path=st.text(min_size=1, max_size=40))
def test_no_data_can_break_a_report(name, message, path):
    from campaign_lint.engine import Result
    from campaign_lint.model import CampaignRef, Finding, Severity
    from campaign_lint.report import ReportContext, render

    finding = Finding("CC301", "open-hours-overlap", Severity.ERROR, message, path=path, line=3, column=4,
                      pointer="/x", campaign=CampaignRef(name=name))
    result = Result([finding], files=1, checked=[(path, name)])
    context = ReportContext(rules=[], root="/")
    text = render("text", result, context)
    assert len(text.splitlines()) == 2 and len(text.split("\n")) == 3
    github = render("github", result, context)
    assert len(github.splitlines()) == 2 and github.startswith("::error file=")
    ET.fromstring(render("junit", result, context).encode("utf-8"))
    for output_format in ("json", "sarif"):
        assert json.loads(render(output_format, result, context).encode("utf-8"))


def test_symlinks_out_of_the_repository_are_not_followed(tmp_path):
    secret = tmp_path / "home" / ".aws"
    secret.mkdir(parents=True)
    (secret / "credentials.yaml").write_text("connectInstanceId: [aws_secret_access_key: hunter2\n")
    repo = tmp_path / "repo"
    (repo / "campaigns").mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / "campaigns" / "c.yaml").write_text(CLEAN)
    (repo / "campaigns" / "creds.yaml").symlink_to(secret / "credentials.yaml")
    (repo / "campaigns" / "aws").symlink_to(secret)
    (repo / "campaigns" / "same.yaml").symlink_to(repo / "campaigns" / "c.yaml")  # inside: fine, read once
    for args in (["campaigns"], ["campaigns/creds.yaml", "campaigns/c.yaml"]):
        run = run_cli("check", "--isolated", "--format", "json", "--today", TODAY, *args, cwd=repo)
        assert run.code == 0 and "hunter2" not in run.out, run.out
        skipped = findings_of(run, "CC001")
        assert {f["severity"] for f in skipped} == {"info"}
        assert all("leads out of the repository" in f["message"] for f in skipped)
        assert run.json()["summary"]["campaigns"] == 1
    walked = run_cli("check", "--isolated", "--format", "json", "campaigns", cwd=repo)
    assert sorted(f["file"] for f in findings_of(walked, "CC001")) == ["campaigns/aws", "campaigns/creds.yaml"]


def test_gitignore_applies_in_a_worktree_where_git_is_a_file(tmp_path):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    main = tmp_path / "main"
    subprocess.run(["git", "init", "-q", str(main)], check=True, env=env)
    (main / ".gitignore").write_text("generated/\n")
    subprocess.run(["git", "add", "."], cwd=main, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "x"], cwd=main, check=True, env=env)
    subprocess.run(["git", "worktree", "add", "-q", str(tmp_path / "wt")], cwd=main, check=True, env=env)
    assert (tmp_path / "wt" / ".git").is_file()
    (tmp_path / "wt" / "generated").mkdir()
    (tmp_path / "wt" / "generated" / "g.yaml").write_text("name: x\n")
    (tmp_path / "wt" / "a.yaml").write_text("name: x\n")
    run = run_cli("check", "--isolated", "--format", "json", ".", cwd=tmp_path / "wt")
    assert [f["file"] for f in run.json()["findings"]] == ["a.yaml"]


def test_a_read_only_report_is_not_replaced_and_a_locked_folder_is_written_through(shared_tmp):
    report = shared_tmp / "report.txt"
    report.write_text("keep me\n")
    report.chmod(0o444)
    user = ordinary_user()  # root may write anything: run as an ordinary user
    if IS_ROOT:
        os.chown(report, NOBODY, NOBODY)
    run = cli("check", "--isolated", "-o", str(report), str(EXAMPLES / "clean"), user=user)
    one_line_error(run, "cannot write", "Permission denied")
    assert report.read_text() == "keep me\n"
    report.chmod(0o644)
    shared_tmp.chmod(0o755)  # the folder belongs to root: no temporary file can be made in it
    run = cli("check", "--isolated", "-o", str(report), str(EXAMPLES / "clean"), user=user)
    assert run.returncode == 0, err(run)
    assert report.read_text().startswith("No problems found")


_TOML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | st.dates(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6)


@settings(max_examples=200, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["select", "extend-select", "ignore", "per-file-ignores", "exclude",
                                             "severity", "rule-options", "fail-on", "rules-dirs", "today",
                                             "policies", "policy-dirs", "audience-zones", "selct"]),
                            _TOML_VALUES.filter(lambda v: v is not None), max_size=4))
@example(data={"rules-dirs": "\x00"})  # found by this test: os.path raised ValueError
@example(data={"cache-dir": "a\x00b"})
def test_any_config_value_is_a_config_error_or_a_config(data):
    """Whatever a config file holds: a Config or one ConfigError naming the file, never a crash."""
    from campaign_lint.config import ConfigError, parse_config

    try:
        parse_config(data, "/repo/pyproject.toml")
    except ConfigError as error:
        assert str(error).startswith("/repo/pyproject.toml: ") and "\n" not in str(error)


@pytest.mark.parametrize("data,words", [
    ({"per-file-ignores": {"legacy\n*.json": 5}}, 'per-file-ignores."legacy\\n*.json" must be a list'),
    ({"severity": {"CC3\n01": "loud"}}, 'severity."CC3\\n01": unknown severity'),
    ({"rule-options": {"cc\n704": 1}}, 'rule-options."cc\\n704" must be a table'),
    ({"per-file-ignores": {"legacy/*.json": "CC3"}}, None),
])
def test_a_config_key_is_named_as_toml_writes_it_on_one_line(data, words):
    """A key with a newline (found by the fuzz test above) is quoted, not printed raw."""
    from campaign_lint.config import ConfigError, parse_config

    if words is None:
        assert parse_config(data, "/repo/pyproject.toml").per_file_ignores == {"legacy/*.json": ["CC3"]}
        return
    with pytest.raises(ConfigError) as raised:
        parse_config(data, "/repo/pyproject.toml")
    assert words in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize("raw,words", [
    (b"a = " + b"[" * 100_000, "nested too deeply"),
    (b"[tool.campaign-lint\n", "not valid TOML"),
    (b"[tool.campaign-lint]\nselect = \xff\n", "not UTF-8"),
])
def test_a_broken_config_file_is_one_line(tmp_path, raw, words):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".campaign-lint.toml").write_bytes(raw)
    one_line_error(quick("check", ".", cwd=tmp_path), ".campaign-lint.toml", words)


@pytest.mark.parametrize("text", ["[" * 100_000, '{"findings": [{"rule": "CC301", "count": 1e999}]}',
                                  '{"findings": 5}', '{"findings": [[]]}', "\udcff"])
def test_a_broken_baseline_is_one_line(tmp_path, text):
    (tmp_path / "baseline.json").write_text(text, errors="surrogateescape")
    one_line_error(quick("check", "--isolated", "--baseline", "baseline.json", str(EXAMPLES / "clean"),
                         cwd=tmp_path), "baseline.json")


def test_a_path_on_another_drive_leads_out_of_any_folder(monkeypatch, tmp_path):
    # Windows: os.path.commonpath raises ValueError for C:\repo and D:\x; every check that a
    # link (a rule module, a pack, a file --fix writes, a snapshot) stays inside a folder
    # asks leads_out, which must say "outside" there, not stop the run with a traceback
    import os

    from campaign_lint.config import leads_out

    def other_drive(paths):
        raise ValueError("Paths don't have the same drive")

    assert leads_out(str(tmp_path / "x"), str(tmp_path)) is False
    monkeypatch.setattr(os.path, "commonpath", other_drive)
    assert leads_out(str(tmp_path / "x"), str(tmp_path)) is True
