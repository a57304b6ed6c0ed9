"""The rule cases are test data, not specs to contract-test: keep specc's pytest plugin off them
even when this folder is named on the command line."""

collect_ignore_glob = ["cases/*"]
