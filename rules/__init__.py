"""campaign-lint's built-in rules, one module per concern.

Each rule is a function decorated with :func:`campaign_lint.rule.rule`, documented by its
docstring; plugins use exactly the same API. Modules whose name starts with an
underscore hold shared helpers, not rules.
"""
