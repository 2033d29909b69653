"""`make mutation`: mutation testing of the core modules with cosmic-ray, one module at a time.

`modules.toml` says which tests cover each module (and at what rate a slow one is sampled),
`equivalent.toml` lists the mutants that cannot change behaviour, with the reason. Results are
kept per module in `.mutation/` (git-ignored), so a run that stops is continued by the next one.
"""
