"""The distribution installs one import namespace, campaign_lint, and no generic top-level names."""

import os
import subprocess
import sys

PROBE = """
import importlib.util, json
import campaign_lint, campaign_lint.rules, campaign_lint.rule
print(json.dumps({
    "rule_api": hasattr(campaign_lint.rule, "rule"),
    "rules_pkg": campaign_lint.rules.__name__,
    "linter": importlib.util.find_spec("linter") is not None,
    "rules": importlib.util.find_spec("rules") is not None,
}))
"""


def _clean_env() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def test_installs_campaign_lint_namespace_only(tmp_path):
    # Run outside the checkout so the repository folders are not on sys.path.
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=_clean_env(),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    import json
    seen = json.loads(proc.stdout)
    assert seen == {"rule_api": True, "rules_pkg": "campaign_lint.rules", "linter": False, "rules": False}


def test_python_dash_m_campaign_lint_runs(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "campaign_lint", "rules", "--isolated"], cwd=tmp_path,
                          env=_clean_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("CC001")
