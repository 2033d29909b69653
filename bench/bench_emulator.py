"""The emulator's API against moto's server, side by side in one run, through boto3.

Emulator: GetSipMediaApplication and ListPhoneNumbers (5 numbers in inventory). Baseline: moto's
server (its own process, like the emulator) answering IAM GetRole, a comparable single-item read.
Sequential requests from one client give requests/s and latency percentiles; rounds alternate
between the servers so machine noise hits both. Reported as ratios to moto, with the emulator's
idle RSS.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from testbed.emulator_process import RunningEmulator, start_emulator

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 3
SECONDS_PER_ROUND = 1.5
WARMUP = 50
CREDENTIALS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_moto() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with suppress(OSError):
            urllib.request.urlopen(url + "/moto-api/", timeout=1).close()
            return proc, url
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("moto server did not start")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _client(service: str, url: str) -> Any:
    make: Any = boto3.client  # the stubs only type literal service names
    return make(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        **CREDENTIALS,
        config=Config(retries={"total_max_attempts": 1}),
    )


def _measure(call: Callable[[], Any]) -> tuple[float, list[float]]:
    for _ in range(WARMUP):
        call()
    latencies: list[float] = []
    started = time.perf_counter()
    while time.perf_counter() - started < SECONDS_PER_ROUND:
        t0 = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - t0)
    return len(latencies) / (time.perf_counter() - started), latencies


def _raw(url: str, method: str, path: str, body: bytes, headers: dict[str, str]) -> Callable[[], Any]:
    """One keep-alive connection, no SDK: what the server itself costs per request."""
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port))

    def call() -> None:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: HTTP {response.status}")

    return call


def _p(latencies: list[float], q: float) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _seed_emulator(emulator: RunningEmulator) -> tuple[Any, str]:
    chime = _client("chime-sdk-voice", emulator.url)
    numbers = chime.search_available_phone_numbers(AreaCode="206", MaxResults=5)["E164PhoneNumbers"]
    chime.create_phone_number_order(ProductType="SipMediaApplicationDialIn", E164PhoneNumbers=numbers)
    sma = chime.create_sip_media_application(
        AwsRegion="us-east-1",
        Name="bench",
        Endpoints=[{"LambdaArn": "arn:aws:lambda:us-east-1:123456789012:function:bench"}],
    )
    assert len(chime.list_phone_numbers()["PhoneNumbers"]) == 5
    return chime, sma["SipMediaApplication"]["SipMediaApplicationId"]


def main() -> None:
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    emulator = start_emulator(["--order-delay", "0"])
    moto, moto_url = _start_moto()
    try:
        time.sleep(0.5)
        idle_rss = _rss_mb(emulator.process.pid)
        chime, sma_id = _seed_emulator(emulator)
        iam = _client("iam", moto_url)
        iam.create_role(
            RoleName="bench", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []})
        )
        targets: dict[str, Callable[[], Any]] = {
            "moto IAM GetRole": lambda: iam.get_role(RoleName="bench"),
            "emulator GetSipMediaApplication": lambda: chime.get_sip_media_application(
                SipMediaApplicationId=sma_id
            ),
            "emulator ListPhoneNumbers": lambda: chime.list_phone_numbers(),
        }
        signed = {"Authorization": "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/chime/aws4_request, "
                                   "SignedHeaders=host, Signature=0"}
        iam_signed = {**signed, "Authorization": signed["Authorization"].replace("chime", "iam"),
                      "Content-Type": "application/x-www-form-urlencoded"}
        targets["raw HTTP: moto GetRole"] = _raw(
            moto_url, "POST", "/", b"Action=GetRole&RoleName=bench&Version=2010-05-08", iam_signed)
        targets["raw HTTP: emulator GetSipMediaApp"] = _raw(
            emulator.url, "GET", f"/sip-media-applications/{sma_id}", b"", signed)
        targets["raw HTTP: emulator ListPhoneNumbers"] = _raw(
            emulator.url, "GET", "/phone-numbers", b"", signed)
        rates: dict[str, list[float]] = {name: [] for name in targets}
        latencies: dict[str, list[float]] = {name: [] for name in targets}
        for _ in range(ROUNDS):
            for name, call in targets.items():
                rate, lat = _measure(call)
                rates[name].append(rate)
                latencies[name] += lat
        busy_rss = _rss_mb(emulator.process.pid)
    finally:
        emulator.stop()
        moto.terminate()
        moto.wait(timeout=10)

    print(f"{'target':<36} {'req/s':>8} {'x moto':>7} {'p50 ms':>7} {'p99 ms':>7} {'p99 x moto':>10}")
    for name in targets:
        base_name = "raw HTTP: moto GetRole" if name.startswith("raw") else "moto IAM GetRole"
        base_rate = statistics.median(rates[base_name])
        base_p99 = _p(latencies[base_name], 0.99)
        rate = statistics.median(rates[name])
        p50, p99 = _p(latencies[name], 0.50), _p(latencies[name], 0.99)
        ratio, p99_ratio = rate / base_rate, p99 / base_p99
        print(f"{name:<36} {rate:>8.0f} {ratio:>7.2f} {p50:>7.2f} {p99:>7.2f} {p99_ratio:>10.2f}")
    print(f"(one sequential client, {ROUNDS} alternating rounds of {SECONDS_PER_ROUND:.1f} s each; "
          "boto3 rows include boto3's own client-side cost; raw rows use one keep-alive http.client "
          "connection)")
    print(f"emulator RSS: idle {idle_rss:.1f} MB, after the run {busy_rss:.1f} MB (target: idle < 80 MB)")


if __name__ == "__main__":
    main()
