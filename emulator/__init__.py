"""A local Amazon Chime SDK Voice (`chime-sdk-voice`) API and PSTN call simulator: `python -m emulator`.

Layout (one job per module, moto-like): `routes` (the route table from botocore's model, which
`awsutil.service_model` loads), `request_parser` (request parsing + every model constraint),
`serialize` (output shapes), `backend/` (one module per resource family, typed errors from
`errors`; cross-resource questions in `backend/relations`), `store` (SQLite), `faults` (seeded
fault injection), `legacy_chime` (the deprecated `chime` API's refusal), `app` (route, fault,
parse, run, log), `json_depth` (the bound on request JSON nesting), `server` (stdlib HTTP) with
`framing` (strict Content-Length/chunked reading), `deadline_reader` (request timeouts),
`connection_slots` (the connection cap) and `http_limits` (their flags), `store_directory` (the
`Directory` the call simulator reads), `calls/` (the call simulator; the answer checks and the
local Lambda runtime it uses are in `pstn/`, shared with `ops smoke`).

Where the service's documentation is silent the emulator is the stricter one, and says so where
it decides: e.g. a RequestUriHostname rule needs one of the account's Voice Connector hosts in the
rule's Region; a SIP media application cannot be deleted while any rule (even disabled) targets
it; a number in the deletion queue cannot be deleted again; UpdatePhoneNumber changes exactly one
detail. Operations of the model it does not emulate answer 400 BadRequestException "... is not
emulated".
"""
