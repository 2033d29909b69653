"""The S3 objects the simulator's actions read and write: audio prompts (PlayAudio, PlayAudioAndGetDigits,
a CallAndBridge ringback tone) and recordings (RecordAudio, call recording). A test tool, not AWS.

A bucket is known once a test registers it or puts an object in it (`PUT /_emulator/buckets/{b}`,
`PUT /_emulator/objects/{b}/{key}`); it can deny the service principal reads or writes, as a bucket
policy without `s3:GetObject` / `s3:PutObject` for voiceconnector.chime.amazonaws.com would. In a
bucket nobody registered, every key reads as a one-second WAV and every write succeeds, so handlers
that play prompts need no setup; register the bucket to make missing keys fail.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

MAX_AUDIO_BYTES = 50 * 1024 * 1024  # "no more than 50 MB" (PlayAudio page)
DEFAULT_AUDIO_MS = 1000


@dataclass
class StoredObject:
    bucket: str
    key: str
    kind: str  # "audio" | "recording"
    duration_ms: int = DEFAULT_AUDIO_MS
    format: str = "wav"
    size_bytes: int = 0
    metadata: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "bucket": self.bucket,
            "key": self.key,
            "kind": self.kind,
            "durationMs": self.duration_ms,
            "format": self.format,
            "sizeBytes": self.size_bytes,
            "metadata": dict(self.metadata),
        }


@dataclass
class BucketPolicy:
    readable: bool = True
    writable: bool = True


class ObjectStore:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[str, BucketPolicy] = {}
        self._objects: dict[tuple[str, str], StoredObject] = {}

    def put_bucket(self, bucket: str, readable: bool = True, writable: bool = True) -> None:
        with self._lock:
            self._buckets[bucket] = BucketPolicy(readable, writable)

    def put_audio(
        self, bucket: str, key: str, duration_ms: int, fmt: str = "wav", size_bytes: int = 0
    ) -> None:
        with self._lock:
            self._buckets.setdefault(bucket, BucketPolicy())
            self._objects[(bucket, key)] = StoredObject(bucket, key, "audio", duration_ms, fmt, size_bytes)

    def audio(self, bucket: str, key: str) -> tuple[StoredObject | None, str | None]:
        """(the object, None) or (None, "inaccessible" | "invalid"): what PlayAudio meets."""
        with self._lock:
            policy = self._buckets.get(bucket)
            if policy is None:
                return StoredObject(bucket, key, "audio"), None
            found = self._objects.get((bucket, key))
        if not policy.readable or found is None:
            return None, "inaccessible"
        if found.format.lower() != "wav" or found.size_bytes > MAX_AUDIO_BYTES:
            return None, "invalid"
        return found, None

    def writable(self, bucket: str) -> bool:
        with self._lock:
            policy = self._buckets.get(bucket)
            return policy is None or policy.writable

    def write(self, bucket: str, key: str, duration_ms: int, metadata: dict[str, str]) -> bool:
        """Store a recording; False when the bucket refuses writes."""
        with self._lock:
            policy = self._buckets.get(bucket)
            if policy is not None and not policy.writable:
                return False
            self._objects[(bucket, key)] = StoredObject(
                bucket, key, "recording", duration_ms, "wav", 16 * duration_ms, dict(metadata)
            )
            return True

    def get(self, bucket: str, key: str) -> StoredObject | None:
        with self._lock:
            return self._objects.get((bucket, key))

    def listing(self, bucket: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            found = [o for o in self._objects.values() if bucket is None or o.bucket == bucket]
        return [o.to_dict() for o in sorted(found, key=lambda o: (o.bucket, o.key))]

    def buckets(self) -> dict[str, dict[str, bool]]:
        with self._lock:
            return {
                b: {"readable": p.readable, "writable": p.writable} for b, p in sorted(self._buckets.items())
            }

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()
            self._objects.clear()
