"""The on-site record of an inspection: rules, use cases and its documents."""
