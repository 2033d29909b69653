"""The PSTN call simulator: plays the Chime SDK PSTN audio service's side of the Lambda contract.

Kept import-free so `import emulator.calls` stays cheap; see `service.CallService` (the facade the
HTTP layer uses), `engine` (a call's life), `invoker` (reaching a Lambda) and `cli` (flags and the
`call` command). What a Lambda's answer must look like is checked by `pstn.answer_checks`.
"""
