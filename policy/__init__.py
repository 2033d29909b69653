"""The project's policy pack: plain validators in `policy.rules`, the pulumi_policy wiring in
`policy/__main__.py` (run by the Pulumi CLI in the pack's own virtualenv, never imported here)."""
