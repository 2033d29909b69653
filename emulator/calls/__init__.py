"""The PSTN call simulator: plays the Chime SDK PSTN audio service's side of the Lambda contract.

Kept import-free so `import emulator.calls` stays cheap; see `service.CallService` (the facade the
HTTP layer uses), `cli` (flags and the `call` command) and `validation` (response checks).
"""
