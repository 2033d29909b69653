"""The operator CLI, `python -m ops`: numbers search, outbound calls, mid-call updates, topology and
the handler smoke test, against AWS or the local emulator (`AWS_ENDPOINT_URL_CHIME_SDK_VOICE`)."""
