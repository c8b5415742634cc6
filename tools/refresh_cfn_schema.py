"""Refresh the vendored CloudFormation registry schema of AWS::ConnectCampaignsV2::Campaign.

The schema is AWS's published resource provider schema (the CloudFormation registry,
https://schema.cloudformation.us-east-1.amazonaws.com/CloudformationSchema.zip). cfn-lint
(MIT-0) ships the same file; this script copies it from an installed cfn-lint through
cfn-lint's public API (its on-disk layout is internal and has changed between releases)
and writes it with a ``$comment`` saying where it came from.

    python tools/refresh_cfn_schema.py                      # the python3 that has cfn-lint
    python tools/refresh_cfn_schema.py --python /usr/bin/python3
    python tools/refresh_cfn_schema.py --check               # exit 1 when the copy differs

campaign-lint never imports cfn-lint at run time (``import cfnlint`` costs over a second).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date

RESOURCE_TYPE = "AWS::ConnectCampaignsV2::Campaign"
REGION = "us-east-1"
TARGET = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "linter", "data", "aws-connectcampaignsv2-campaign.json")

_PROBE = f"""
import json
from importlib.metadata import version
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema({REGION!r}, {RESOURCE_TYPE!r}).schema
print(json.dumps({{"version": version("cfn-lint"), "schema": schema}}))
"""


class NoCfnLint(Exception):
    """No interpreter that can import cfn-lint was found."""


def candidate_pythons(explicit: str | None = None) -> list[str]:
    """Interpreters that may have cfn-lint: the one given, this one, the cfn-lint script's,
    then every python3 on PATH (a virtualenv's python3 usually comes first and lacks it)."""
    found = [explicit] if explicit else []
    found.append(sys.executable)
    script = shutil.which("cfn-lint")
    if script:
        try:
            with open(script, "rb") as handle:
                first = handle.readline().decode("utf-8", "replace")
            if first.startswith("#!") and "python" in first:
                found.append(first[2:].strip().split()[0])
        except OSError:
            pass
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(folder, "python3")
        if os.access(candidate, os.X_OK):
            found.append(candidate)
    return list(dict.fromkeys(found))


def installed_schema(python: str | None = None) -> tuple[str, dict]:
    """``(cfn-lint version, schema)`` from the first interpreter that has cfn-lint."""
    for candidate in candidate_pythons(python):
        try:
            done = subprocess.run([candidate, "-c", _PROBE], capture_output=True, text=True,
                                  timeout=120)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            answer = json.loads(done.stdout)
            return answer["version"], answer["schema"]
    raise NoCfnLint("no python3 with cfn-lint found; pip install cfn-lint, or pass --python")


def vendored(schema: dict, version: str) -> dict:
    comment = (f"{RESOURCE_TYPE} resource provider schema as published in the CloudFormation "
               f"registry ({REGION}), copied from cfn-lint {version} (MIT-0) on "
               f"{date.today().isoformat()} by tools/refresh_cfn_schema.py; do not edit by hand")
    return {"$comment": comment, **schema}


def without_comment(schema: dict) -> dict:
    return {k: v for k, v in schema.items() if k != "$comment"}


def copied_from(schema: dict) -> str | None:
    """The cfn-lint version the vendored copy's ``$comment`` names."""
    found = re.search(r"cfn-lint ([0-9][0-9.]*[0-9])", str(schema.get("$comment", "")))
    return found.group(1) if found else None


def is_older(version: str, than: str | None) -> bool:
    """Whether cfn-lint ``version`` is older than ``than`` (numeric parts compared)."""
    def parts(text: str) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"[0-9]+", text))

    return than is not None and parts(version) < parts(than)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="interpreter that has cfn-lint installed")
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    args = parser.parse_args(argv)
    try:
        version, schema = installed_schema(args.python)
    except NoCfnLint as error:
        print(f"refresh_cfn_schema: {error}", file=sys.stderr)
        return 2
    with open(TARGET, encoding="utf-8") as handle:
        current = json.load(handle)
    if is_older(version, copied_from(current)):
        # an older cfn-lint ships an older schema: neither a difference to report nor a copy to take
        print(f"{TARGET}: not compared: cfn-lint {version} is older than the copy's "
              f"{copied_from(current)}; install cfn-lint>={copied_from(current)} (or pass --python)",
              file=sys.stderr)
        return 2
    if without_comment(current) == schema:
        print(f"{TARGET}: same as cfn-lint {version}")
        return 0
    if args.check:
        print(f"{TARGET}: differs from cfn-lint {version}; run tools/refresh_cfn_schema.py")
        return 1
    with open(TARGET + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(vendored(schema, version), handle, indent=1, sort_keys=True)
        handle.write("\n")
    os.replace(TARGET + ".tmp", TARGET)
    print(f"{TARGET}: updated from cfn-lint {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
