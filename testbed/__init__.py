"""What the tests and the benchmarks run the project on: a private `python -m emulator`
subprocess on loopback (`emulator_process`) and the Pulumi program evaluated under mocks
(`program_mocks`). It starts the code it drives as a subprocess or by path, never imports it,
so `bench/` can use it without importing `tests/`.
"""
