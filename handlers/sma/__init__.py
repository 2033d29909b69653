"""A small, standard-library-only toolkit for Amazon Chime SDK PSTN audio Lambda handlers.

Import what you use from its modules (this file deliberately imports nothing, so a handler pays
only for the pieces it needs at cold start):

- `sma.events`    read-only, typed views of an invocation event (`parse_event`)
- `sma.results`   what particular actions report (recordings, a bot's IntentResult, HANGUP's
                  code...), read through `ActionData` and compiled on first use
- `sma.actions`   one builder per documented action, validated when built; Speak and Hangup
                  live in `sma.core_actions` (re-exported), the shared checks in `sma.params`,
                  the SIP header rules in `sma.sip_headers`
- `sma.response`  the response envelope (`build_response`) and its documented limits
- `sma.dispatch`  `Router`: InvocationEventType -> function, plus the never-raising entry point
- `sma.config`    voice settings from environment variables, validated once
- `sma.masking`   phone numbers reduced to their last four digits
- `sma.log`       one JSON line per record on stdout (CloudWatch Logs in Lambda)
- `sma.greeter`   the greet-and-hang-up call flow both handlers run, with its update verbs;
                  its answers to ACTION_FAILED in `sma.greeter_failures` (compiled on first use)
"""
