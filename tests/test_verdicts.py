"""Caller-id verdicts are remembered across runs (``campaign_lint.verdicts``): a second run
on a number seen before gives the same finding without importing phonenumbers, and nothing
but the check's own result for that exact number is ever taken from the file."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from campaign_lint import usercache, verdicts
from campaign_lint.rules.outbound import e164_problem

from .conftest import ROOT

CAMPAIGN = {"name": "renewals", "connectInstanceId": "i-1",
            "channelSubtypeConfig": {"telephony": {"defaultOutboundConfig": {
                "connectContactFlowId": "flow", "connectSourcePhoneNumber": "NUMBER"},
                "outboundMode": {"progressive": {"bandwidthAllocation": 1}}}}}

_RUN = ("import sys, json\n"
        "from campaign_lint.cli import main\n"
        "code = main(['check', '--isolated', '--no-cache', '--format', 'json', 'c.json'])\n"
        "print(json.dumps({'code': code, 'phonenumbers': 'phonenumbers' in sys.modules}))\n")


def _check(folder, cache_home) -> tuple[dict, list]:
    done = subprocess.run([sys.executable, "-c", _RUN], cwd=folder, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                               "CAMPAIGN_LINT_CACHE_HOME": str(cache_home)})
    *report, status = done.stdout.splitlines()
    findings = [f for f in json.loads("\n".join(report))["findings"] if f["rule"] == "CC202"]
    return json.loads(status), findings


def test_a_second_run_judges_a_known_number_without_phonenumbers_and_says_the_same(tmp_path):
    for number in ("+12125550123", "212-555-0123", "+19999999999"):
        folder = tmp_path / number
        folder.mkdir()
        (folder / "c.json").write_text(json.dumps(CAMPAIGN).replace("NUMBER", number))
        first, first_findings = _check(folder, tmp_path / "cache")
        second, second_findings = _check(folder, tmp_path / "cache")
        assert first["phonenumbers"] and not second["phonenumbers"], number
        assert first["code"] == second["code"] and first_findings == second_findings, number
        assert bool(first_findings) == (number != "+12125550123")


def _fresh_memo():
    memo = e164_problem.memo
    memo.forget()
    return memo


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.from_regex(r"\+[0-9]{6,15}", fullmatch=True), st.text(max_size=20)),
                min_size=1, max_size=5))
def test_a_remembered_verdict_is_the_checks_own(numbers):
    _fresh_memo()
    for number in numbers:
        e164_problem(number)
    verdicts.flush()
    _fresh_memo()  # as the next run: read from the file
    for number in numbers:
        assert e164_problem(number) == e164_problem.__wrapped__(number)


def _one_verdict_saved(tmp_path, monkeypatch, number: str):
    """A fresh memo whose file in ``tmp_path`` (the user cache folder) holds one verdict."""
    monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path))
    memo = _fresh_memo()
    e164_problem(number)
    verdicts.flush()
    return memo, tmp_path / memo.file


def test_a_forged_or_stale_file_is_not_believed(tmp_path, monkeypatch):
    memo, path = _one_verdict_saved(tmp_path, monkeypatch, "+12125550123")
    header, body = path.read_text().split("\n", 1)
    # an edited body no longer matches its digest
    path.write_text(header + "\n" + body.replace("null", '"is not a valid phone number"'))
    _fresh_memo()
    assert e164_problem("+12125550123") is None
    # a verdict that is not a text or None is dropped, even with a matching digest
    usercache.store(memo.file, memo.key(), {"+12125550123": 7, "+441": "forged"})
    _fresh_memo()
    assert e164_problem("+12125550123") is None
    assert e164_problem("+441") == "forged"  # the file is the user's own: a matching one is read
    # an edited check (or library) changes the key: the old verdicts are not used
    source = tmp_path / "check.py"
    source.write_text("v1")
    monkeypatch.setattr(memo, "source", str(source))
    memo.forget()
    usercache.store(memo.file, memo.key(), {"+441": "stale"})
    source.write_text("v2, edited")
    _fresh_memo()
    assert e164_problem("+441") == e164_problem.__wrapped__("+441") != "stale"
    _fresh_memo()


def test_the_file_keeps_only_the_newest_verdicts(tmp_path, monkeypatch):
    monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(verdicts, "LIMIT", 3)
    memo = _fresh_memo()
    for number in ("+1", "+12", "+123", "+1234", "+12345"):
        e164_problem(number)
    verdicts.flush()
    assert list(usercache.load(memo.file, memo.key())) == ["+123", "+1234", "+12345"]
    _fresh_memo()


def test_a_huge_value_is_judged_but_not_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path))
    memo = _fresh_memo()
    huge = "+1" + "2" * 1_000_000
    assert e164_problem(huge) == e164_problem.__wrapped__(huge)
    verdicts.flush()
    assert not (tmp_path / memo.file).exists()
    _fresh_memo()


def test_a_fifo_or_a_link_in_the_cache_folder_is_not_read(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path))
    memo = _fresh_memo()
    os.mkfifo(tmp_path / memo.file)  # reading it would block the run forever
    assert e164_problem("+12125550123") is None
    (tmp_path / memo.file).unlink()
    (tmp_path / memo.file).symlink_to("/dev/zero")
    _fresh_memo()
    assert e164_problem("+12125550123") is None
    _fresh_memo()


def _saved(memo) -> list:
    return list(usercache.load(memo.file, memo.key()))


def test_two_installs_keep_their_own_verdicts_and_old_files_are_removed(tmp_path, monkeypatch):
    # a pre-commit environment and a project's virtualenv judge with different checks
    # (different keys): neither overwrites the other's file, so neither starts afresh each run
    import os

    monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path))
    (tmp_path / "verdicts-e164.json").write_text("an earlier version's single file")
    os.utime(tmp_path / "verdicts-e164.json", ns=(10**18 - 1, 10**18 - 1))
    (tmp_path / "verdicts-e164-notes.json").write_text("not a name we write")
    memo = _fresh_memo()
    files = []
    for install in range(6):
        source = tmp_path / f"check-{install}.py"
        source.write_text(f"install {install}")
        monkeypatch.setattr(memo, "source", str(source))
        memo.forget()
        e164_problem(f"+1212555{install:04}")
        verdicts.flush()
        os.utime(tmp_path / memo.file, ns=(10**18 + install, 10**18 + install))  # written in order
        files.append(memo.file)
        assert _saved(memo) == [f"+1212555{install:04}"]
        if install == 1:  # two installs side by side: both files there, each with its own
            assert all((tmp_path / name).exists() for name in files)
    assert len(set(files)) == 6
    # the newest few stay; older ones (the single file of earlier versions too) are removed
    left = sorted(p.name for p in tmp_path.glob("verdicts-*"))
    assert left == sorted([*files[-verdicts.KEEP_FILES:], "verdicts-e164-notes.json"])
    _fresh_memo()


def test_a_run_beside_this_one_keeps_its_verdicts_and_used_ones_stay_newest(tmp_path, monkeypatch):
    monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(verdicts, "LIMIT", 3)
    memo = _fresh_memo()
    for number in ("+1", "+12", "+123"):
        e164_problem(number)
    verdicts.flush()
    _fresh_memo()  # the next run
    e164_problem("+1")  # used again: now the most recent
    # another run wrote meanwhile (what it had read, and its own)
    usercache.store(memo.file, memo.key(), {"+1": None, "+12": None, "+123": None, "+19": None})
    e164_problem("+1234")
    verdicts.flush()
    assert _saved(memo) == ["+19", "+1", "+1234"]
    _fresh_memo()


def test_an_install_that_only_reuses_its_verdicts_keeps_them_newest_and_keeps_its_file(tmp_path, monkeypatch):
    # reviewer's reproducers: a run that judged nothing new wrote nothing, so a verdict used
    # again lost its place, and a pre-commit environment with stable numbers had its file
    # removed (files are kept by time) once three other installs had written theirs
    import os

    monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(verdicts, "LIMIT", 3)
    memo = _fresh_memo()
    clock = iter(range(10**18, 10**18 + 100))

    def run(install: str, *numbers: str) -> str:
        source = tmp_path / f"check-{install}.py"
        if not source.exists():  # the same check from run to run: the same key
            source.write_text(install)
        monkeypatch.setattr(memo, "source", str(source))
        memo.forget()
        for number in numbers:
            e164_problem(number)
        verdicts.flush()
        if (tmp_path / memo.file).exists():  # written or marked used in this order
            moment = next(clock)
            os.utime(tmp_path / memo.file, ns=(moment, moment))
        return memo.file

    mine = run("A", "+12125550100", "+12125550101", "+12125550102")
    run("A", "+12125550100")  # used again, nothing new
    run("A", "+12125550103")
    assert _saved(memo) == ["+12125550102", "+12125550100", "+12125550103"]
    for other in "BCDE":
        run("A", "+12125550100")
        run(other, "+12125550199")
    assert (tmp_path / mine).exists()
    memo.forget()
    _fresh_memo()


def test_nothing_is_removed_when_the_verdicts_cannot_be_written(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path))
    others = [tmp_path / f"verdicts-e164-{index:016x}.json" for index in range(4)]
    for index, path in enumerate(others):
        path.write_text("another install's")
        os.utime(path, ns=(10**18 + index, 10**18 + index))
    memo = _fresh_memo()
    (tmp_path / memo.file).mkdir()  # the key's file name is taken: the store fails
    e164_problem("+12125550101")
    verdicts.flush()
    assert all(path.exists() for path in others)
    _fresh_memo()


def test_a_run_in_worker_processes_keeps_and_marks_what_its_workers_used(tmp_path):
    # reviewer's reproducer: workers (--jobs, 48 files or more) judged and re-used verdicts
    # that only the main process saves, so what they judged was never kept and a file they
    # only re-used was never marked used, and was removed once three other installs had written
    import os

    from .conftest import run_process

    project, cache_home = tmp_path / "project", tmp_path / "cache"
    project.mkdir()
    for index in range(48):
        number = f"+1212555{index % 3:04d}"
        (project / f"c{index:02d}.json").write_text(json.dumps(CAMPAIGN).replace("NUMBER", number))
    env = {"CAMPAIGN_LINT_CACHE_HOME": str(cache_home)}

    def run():
        done = run_process("check", "--isolated", "--no-cache", "--jobs", "2", str(project), env=env)
        assert done.returncode == 0, done.stderr
        [saved] = cache_home.glob("verdicts-e164-*.json")
        return saved

    saved = run()
    _, body = saved.read_text().split("\n", 1)
    assert sorted(json.loads(body)) == ["+12125550000", "+12125550001", "+12125550002"]
    os.utime(saved, ns=(10**18, 10**18))  # long ago
    assert run().stat().st_mtime_ns > 10**18 + 10**9  # marked used by a run that judged nothing new


def test_where_a_file_cannot_be_marked_without_following_links_it_is_rewritten(tmp_path, monkeypatch):
    # reviewer's: on Windows os.utime(follow_symlinks=False) raises NotImplementedError, so
    # a run that only re-used its verdicts left the file unmarked (and prunable)
    import os

    memo, path = _one_verdict_saved(tmp_path, monkeypatch, "+12125550100")
    os.utime(path, ns=(10**18, 10**18))

    def no_utime(*args, **kwargs):
        raise NotImplementedError("utime: follow_symlinks unavailable on this platform")

    monkeypatch.setattr(verdicts.os, "utime", no_utime)
    memo.forget()
    e164_problem("+12125550100")
    verdicts.flush()
    assert path.stat().st_mtime_ns > 10**18 + 10**9 and _saved(memo) == ["+12125550100"]
    _fresh_memo()


def test_a_deeply_nested_cache_file_is_not_believed_and_does_not_crash(tmp_path, monkeypatch):
    # reviewer's: a crafted body with a matching digest raised RecursionError in json.loads
    monkeypatch.setenv("CAMPAIGN_LINT_CACHE_HOME", str(tmp_path))
    memo = _fresh_memo()
    body = "[" * 200_000 + "]" * 200_000
    header = json.dumps({"key": memo.key(), "digest": usercache.digest(body)})
    (tmp_path / memo.file).write_text(header + "\n" + body)
    assert usercache.load(memo.file, memo.key()) is None
    assert e164_problem("+12125550100") is None  # judged afresh
    _fresh_memo()
