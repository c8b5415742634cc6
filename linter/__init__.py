"""campaign-lint: a compliance linter for Amazon Connect outbound campaigns."""

__version__ = "0.1.0"
