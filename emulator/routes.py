"""The route table: which chime-sdk-voice operation an HTTP request is, from the service model.

Every operation's method and `requestUri` come from the model, including the URIs that carry a
fixed query string (`/search?type=phone-numbers`, `/phone-numbers/{phoneNumberId}?operation=restore`):
those literal query parameters are part of the route and must all be present for it to match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, unquote

from botocore.model import OperationModel, ServiceModel

from awsutil.service_model import CHIME_SDK_VOICE, service_model


@dataclass(frozen=True)
class Route:
    operation: OperationModel
    method: str
    path: re.Pattern[str]
    fixed_query: tuple[tuple[str, str], ...]  # literal `?k=v` pairs of the requestUri
    template: str  # the requestUri's path, labels and all

    @property
    def name(self) -> str:
        return self.operation.name


def _compile(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    for piece in re.split(r"(\{[^}]+\})", template):
        if piece.startswith("{") and piece.endswith("}"):
            label = piece[1:-1]
            if label.endswith("+"):  # greedy label: may span slashes
                parts.append(f"(?P<{label[:-1]}>.+)")
            else:
                parts.append(f"(?P<{label}>[^/]+)")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts) + "/?")


def _first_segment(path: str) -> str:
    return path.lstrip("/").partition("/")[0]


class RouteTable:
    """Finds the operation for (method, path, query); routes with literal query pairs win.

    Routes are bucketed by method and the path's literal first segment (`sip-media-applications`),
    so a request is matched against the handful of routes that can fit, not all ~100.
    """

    def __init__(self, model: ServiceModel) -> None:
        by_method: dict[str, list[Route]] = {}
        for name in model.operation_names:
            op = model.operation_model(name)
            uri = op.http["requestUri"]
            path, _, query = uri.partition("?")
            fixed = tuple(parse_qsl(query, keep_blank_values=True))
            route = Route(op, op.http["method"], _compile(path), fixed, path)
            by_method.setdefault(route.method, []).append(route)
        # The most specific route first: more literal query pairs, then longer templates.
        ordered = {
            m: sorted(rs, key=lambda r: (-len(r.fixed_query), -len(r.path.pattern)))
            for m, rs in by_method.items()
        }
        self._buckets: dict[tuple[str, str], list[Route]] = {}
        self._wild: dict[str, list[Route]] = {}  # routes starting with a label could match any path
        for method, routes in ordered.items():
            wild = [r for r in routes if "{" in _first_segment(r.template)]
            self._wild[method] = wild
            literal_firsts = {_first_segment(r.template) for r in routes if r not in wild}
            for first in literal_firsts:
                self._buckets[(method, first)] = [
                    r for r in routes if r in wild or _first_segment(r.template) == first]

    def match(
        self, method: str, path: str, query: dict[str, list[str]]
    ) -> tuple[Route, dict[str, str]] | None:
        candidates = self._buckets.get((method, _first_segment(path)))
        for route in self._wild.get(method, []) if candidates is None else candidates:
            if any(query.get(k) != [v] for k, v in route.fixed_query):
                continue
            found = route.path.fullmatch(path)
            if found:
                return route, {k: unquote(v) for k, v in found.groupdict().items()}
        return None


@lru_cache(maxsize=2)
def route_table(service: str = CHIME_SDK_VOICE) -> RouteTable:
    """The route table of a botocore service model (chime-sdk-voice; `chime` for the legacy endpoint)."""
    return RouteTable(service_model(service))
