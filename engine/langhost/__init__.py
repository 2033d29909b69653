"""The Python language host the engine built by engine/build.sh runs (see host.py)."""
