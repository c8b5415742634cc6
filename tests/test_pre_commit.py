"""The hook as users run it: the real pre-commit tool against this checkout.

pre-commit builds the hook's own environment from this repository. Tests stay
off the network: pip may not use an index, and the hook environment borrows the
runtime dependencies from the test environment (PYTHONPATH).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig

import pytest

from .conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory):
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = dict(os.environ,
               PRE_COMMIT_HOME=str(home), PIP_NO_INDEX="1", PIP_NO_DEPS="1",
               PIP_NO_BUILD_ISOLATION="0",  # pip reads this as "no build isolation"
               PYTHONPATH=sysconfig.get_paths()["purelib"],
               GIT_AUTHOR_NAME="test", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="test", GIT_COMMITTER_EMAIL="t@example.com")
    env.pop("GITHUB_ACTIONS", None)
    return env


@pytest.fixture
def user_repo(tmp_path, pre_commit_env):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=pre_commit_env)
    shutil.copy(EXAMPLES / "clean" / "renewals-describe.json", tmp_path / "good.json")
    shutil.copy(EXAMPLES / "broken" / "typos.yaml", tmp_path / "bad.yaml")
    (tmp_path / "package.json").write_text('{"name": "web", "version": "1.0.0"}\n')
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True, env=pre_commit_env)
    return tmp_path


def try_repo(repo, env, *files):
    pre_commit = [sys.executable, "-m", "pre_commit"]
    return subprocess.run([*pre_commit, "try-repo", str(ROOT), "campaign-lint", "--files", *files],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def test_hook_passes_clean_and_non_campaign_files(user_repo, pre_commit_env):
    run = try_repo(user_repo, pre_commit_env, "good.json", "package.json")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "campaign-lint" in run.stdout and "Passed" in run.stdout


def test_hook_fails_on_a_broken_campaign_with_the_finding(user_repo, pre_commit_env):
    run = try_repo(user_repo, pre_commit_env, "good.json", "bad.yaml")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Failed" in run.stdout
    assert ('bad.yaml:16:22: CC309 error: defaultTimeZone "Europe/Londn" is not an IANA time zone; '
            'did you mean "Europe/London"? [winback-emea]') in run.stdout
    assert "good.json" not in run.stdout.split("Found")[0]
