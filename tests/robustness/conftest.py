# The fuzz regression fixtures are inputs for test_fuzz.py, not specs for specc's pytest plugin to collect.
collect_ignore_glob = ["regressions/*"]
