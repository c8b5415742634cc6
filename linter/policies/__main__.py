"""``python -m campaign_lint.policies README.md`` rewrites the README's table of policy packs."""

import sys

from . import update_readme

changed = update_readme(sys.argv[1] if len(sys.argv) > 1 else "README.md")
print("README policy table updated" if changed else "README policy table is current")
