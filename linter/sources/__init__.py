"""Where campaigns come from: files (JSON/YAML), and later an AWS account."""
