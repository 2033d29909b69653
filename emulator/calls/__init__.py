"""The PSTN call simulator: plays the Chime SDK PSTN audio service's side of the Lambda contract.

Kept import-free so `import emulator.calls` stays cheap; see `service.CallService` (the facade the
HTTP layer uses), `admin` (its endpoints), `engine` (a call's life on its `timeline`), the action
families (`media`, `digits`, `bridging`, `recording`, `conversation`, `meeting_actions`), the test
tools calls meet (`parties`, `objects`, `bots`, `meetings`), `invoker` (reaching a Lambda) and `cli`
(flags and the `call` command). What a Lambda's answer must look like is checked by
`pstn.response_checks` (the answer as a whole) and `pstn.action_checks` (each action).
"""
