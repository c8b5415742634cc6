"""The hooks as users run them: the real pre-commit tool against this checkout.

pre-commit builds the hook's own environment from this repository. Tests stay
off the network: pip may not use an index, and the hook environment borrows the
runtime dependencies from the test environment (PYTHONPATH).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig

import pytest
import yaml

from .conftest import EXAMPLES, ROOT

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory):
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = dict(os.environ,
               PRE_COMMIT_HOME=str(home), PIP_NO_INDEX="1", PIP_NO_DEPS="1",
               PIP_NO_BUILD_ISOLATION="0",  # pip reads this as "no build isolation"
               PYTHONPATH=sysconfig.get_paths()["purelib"],
               GIT_AUTHOR_NAME="test", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="test", GIT_COMMITTER_EMAIL="t@example.com")
    for name in ("GITHUB_ACTIONS", "FORCE_COLOR", "NO_COLOR"):
        env.pop(name, None)
    return env


def _git(repo, env, *args) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def user_repo(tmp_path, pre_commit_env):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=pre_commit_env)
    shutil.copy(EXAMPLES / "clean" / "renewals-describe.json", tmp_path / "good.json")
    shutil.copy(EXAMPLES / "broken" / "typos.yaml", tmp_path / "bad.yaml")
    (tmp_path / "package.json").write_text('{"name": "web", "version": "1.0.0"}\n')
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True, env=pre_commit_env)
    return tmp_path


@pytest.fixture
def campaigns_repo(tmp_path, pre_commit_env):
    """A repository whose campaigns/ holds two campaigns of one instance with the same name
    (CC602, a cross-campaign finding) and, outside it, a broken campaign file."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=pre_commit_env)
    (tmp_path / "campaigns").mkdir()
    east = json.loads((EXAMPLES / "clean" / "renewals-describe.json").read_text())
    (tmp_path / "campaigns" / "east.json").write_text(json.dumps(east, indent=2))
    east["campaign"]["id"] = "3a7e0d2f-5c8b-4d2f-8b64-8f3e2d1c0b52"
    east["campaign"]["arn"] = east["campaign"]["arn"].rsplit("/", 1)[0] + "/" + east["campaign"]["id"]
    (tmp_path / "campaigns" / "east-copy.json").write_text(json.dumps(east, indent=2))
    (tmp_path / "drafts").mkdir()
    shutil.copy(EXAMPLES / "broken" / "typos.yaml", tmp_path / "drafts" / "typos.yaml")
    _git(tmp_path, pre_commit_env, "add", ".")
    return tmp_path


def try_repo(repo, env, *files, hook="campaign-lint"):
    return subprocess.run([*PRE_COMMIT, "try-repo", str(ROOT), hook, "--verbose", "--files", *files],
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


def test_per_file_hook_sees_only_the_staged_campaigns(campaigns_repo, pre_commit_env):
    run = try_repo(campaigns_repo, pre_commit_env, "campaigns/east.json")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "CC602" not in run.stdout
    assert "1 campaign in 1 file" in run.stdout


def test_all_hook_lints_every_campaign_whatever_pre_commit_passes(campaigns_repo, pre_commit_env):
    run = try_repo(campaigns_repo, pre_commit_env, "campaigns/east.json", hook="campaign-lint-all")
    assert "campaign-lint (all campaigns)" in run.stdout
    assert "CC602" in run.stdout, run.stdout + run.stderr
    # no arguments: the whole repository, drafts/ included
    assert "drafts/typos.yaml" in run.stdout and run.returncode == 1


def _readme_pre_commit_config() -> dict:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", readme, re.S)
    assert block, "README has no .pre-commit-config.yaml example"
    return yaml.safe_load(block.group(1))


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory, pre_commit_env):
    """This checkout (tracked and new files, as git would see them) committed to a
    fresh repository: the commit SHA a user would pin."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    repo = tmp_path_factory.mktemp("campaign-lint-snapshot")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    _git(repo, pre_commit_env, "init", "-q")
    _git(repo, pre_commit_env, "add", ".")
    _git(repo, pre_commit_env, "commit", "-q", "-m", "snapshot")
    return repo, _git(repo, pre_commit_env, "rev-parse", "HEAD").strip()


def test_readme_config_pinned_to_a_sha_runs_both_hooks(campaigns_repo, pre_commit_env, snapshot):
    config = _readme_pre_commit_config()
    (entry,) = config["repos"]
    assert re.fullmatch(r"[0-9a-f]{40}", entry["rev"]), "the README pins rev to a commit SHA"
    hooks = {hook["id"]: hook for hook in entry["hooks"]}
    assert set(hooks) == {"campaign-lint", "campaign-lint-all"}
    assert all(hook.get("verbose") is True for hook in hooks.values())
    assert hooks["campaign-lint"]["files"]
    entry["repo"], entry["rev"] = str(snapshot[0]), snapshot[1]
    (campaigns_repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    _git(campaigns_repo, pre_commit_env, "add", ".pre-commit-config.yaml")

    run = subprocess.run([*PRE_COMMIT, "run", "--files", "campaigns/east.json"], cwd=campaigns_repo,
                         env=pre_commit_env, capture_output=True, text=True, timeout=600)
    output = run.stdout + run.stderr
    per_file, all_campaigns = output.split("campaign-lint (all campaigns)")
    assert "1 campaign in 1 file" in per_file and "CC602" not in per_file
    # the -all hook's args name the campaign folder: drafts/ is not linted
    assert "CC602" in all_campaigns and "2 campaigns in 2 files" in all_campaigns
    assert "typos.yaml" not in output
    assert run.returncode == 0, output  # CC602 is a warning: shown (verbose), not failing


def test_a_staged_file_named_like_an_option_fails_the_hook_instead_of_hiding_findings(user_repo, pre_commit_env):
    # pre-commit appends the staged names to "campaign-lint check": a committed file named
    # "--baseline=bl.json" beside a baseline of bad.yaml's findings made the hook pass
    subprocess.run([sys.executable, "-m", "campaign_lint", "check", "--isolated", "--write-baseline", "bl.json",
                    "bad.yaml"], cwd=user_repo, env=dict(pre_commit_env, PYTHONPATH=str(ROOT)), capture_output=True)
    (user_repo / "--baseline=bl.json").write_text("{}\n")
    _git(user_repo, pre_commit_env, "add", "--", "--baseline=bl.json", "bl.json")
    run = subprocess.run([*PRE_COMMIT, "try-repo", str(ROOT), "campaign-lint", "--verbose", "--all-files"],
                         cwd=user_repo, env=pre_commit_env, capture_output=True, text=True, timeout=600)
    assert run.returncode != 0 and "Failed" in run.stdout, run.stdout + run.stderr
    assert '"--baseline=bl.json" is a file here and also reads as an option' in run.stdout
