"""The procedure context: everything one run knows, shared by the procedure and its sub-procedures."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench import jsoncodec
from workbench.attributes import Resolution, flatten_values, resolve
from workbench.connectors import ConnectorResponse
from workbench.connectors.secrets import MASK
from workbench.mentions import join_path, normalize_path, split_path
from workbench.model import BUILTIN_NAMESPACES


@dataclass
class StoredCall:
    """A connector call of this run: the response, and ``value``, what the procedure sees (after the transform)."""

    response: ConnectorResponse
    value: Any


_segments = functools.lru_cache(maxsize=4096)(split_path)


def _copy(data: Any) -> Any:
    """A deep copy of JSON data (fast: through orjson)."""
    return jsoncodec.loads(jsoncodec.dumps(data, default=str))


def call_key(inputs: Mapping[str, Any]) -> bytes:
    """What makes two calls of one connector the same call: their inputs."""
    return jsoncodec.dumps(inputs, sort_keys=True)


class ProcedureContext:
    """``User`` / ``Company`` / ``Conversation`` attributes, connector responses (temporary attributes) and
    the calls made so far; code conditions see it through :meth:`inputs`."""

    def __init__(self, attributes: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        given = attributes or {}
        self.attributes: dict[str, dict[str, Any]] = {
            namespace: _copy(dict(given.get(namespace, {}))) for namespace in BUILTIN_NAMESPACES
        }
        self.temporary: dict[str, Any] = {}
        self.redacted: set[str] = set()
        """Attribute paths whose values are shown as ``***`` (redacted response fields and what they map to)."""
        self._calls: dict[tuple[str, bytes], StoredCall] = {}

    def is_redacted(self, path: str) -> bool:
        """Whether the attribute (or an object holding it) is redacted."""
        if not self.redacted:
            return False
        parts = _segments(normalize_path(path))
        return any(join_path(parts[:end]) in self.redacted for end in range(1, len(parts) + 1))

    def shown(self, path: str, value: Any) -> Any:
        """How a value may be shown: ``***`` for a redacted attribute, else the value."""
        return MASK if self.is_redacted(path) else value

    def inputs(self) -> dict[str, Any]:
        """The ``inputs`` mapping of code conditions: ``temporary`` (by connector name), ``user``, ``company``,
        ``conversation``."""
        return {
            "temporary": self.temporary,
            **{namespace.lower(): self.attributes[namespace] for namespace in BUILTIN_NAMESPACES},
        }

    def resolve(self, path: str) -> Resolution:
        """What an attribute path names in this run (nothing for a connector not called yet)."""
        root, *rest = _segments(path)
        if root in self.attributes:
            return resolve(self.attributes[root], root, rest)
        if root in self.temporary:
            return resolve(self.temporary[root], root, rest)
        return Resolution()

    def values(self) -> dict[str, Any]:
        """Every attribute of the run as ``{path: value}``."""
        result: dict[str, Any] = {}
        for namespace in BUILTIN_NAMESPACES:
            if self.attributes[namespace]:
                result.update(flatten_values(namespace, self.attributes[namespace]))
        for connector, value in self.temporary.items():
            result.update(flatten_values(connector, value))
        return result

    def set(self, path: str, value: Any) -> str:
        """Give an attribute a value; returns the path's root. A connector's stored response is replaced by an
        edited copy, so code conditions and later reuse of the call see the edit while past events keep theirs.

        Raises ``ValueError`` for a path that is not a settable attribute.
        """
        root, *rest = split_path(path)
        if root in self.attributes:
            if not rest:
                raise ValueError(f"{root} is a namespace: name an attribute in it, e.g. '{root} > email'")
            _assign(self.attributes[root], root, rest, value)
            return root
        if root not in self.temporary:
            raise ValueError(f"{root!r} is not User, Company, Conversation or a connector called in this run")
        old = self.temporary[root]
        if rest:
            new = _copy(old)
            if not isinstance(new, dict):
                raise ValueError(f"{root} is one attribute: set it whole, not {join_path([root, *rest])!r}")
            _assign(new, root, rest, value)
        else:
            new = value
        self.temporary[root] = new
        for stored in self._calls.values():
            if stored.value is old:
                stored.value = new
        return root

    def recall(self, connector: str, key: bytes) -> StoredCall | None:
        """The earlier call of ``connector`` with the same inputs, if any."""
        return self._calls.get((connector, key))

    def store(self, connector: str, key: bytes, call: StoredCall) -> None:
        """Keep a call's result and make it the connector's temporary attributes."""
        self._calls[(connector, key)] = call
        self.temporary[connector] = call.value


def _assign(container: dict[str, Any], root: str, segments: list[str], value: Any) -> None:
    """Set ``container[a][b]... = value``, creating objects on the way; arrays are never entered."""
    walked = [root]
    for segment in segments[:-1]:
        walked.append(segment)
        current = container.get(segment)
        if current is None:
            current = container[segment] = {}
        if isinstance(current, list):
            raise ValueError(f"{join_path(walked)} is an array: only its root is an attribute")
        if not isinstance(current, dict):
            raise ValueError(f"{join_path(walked)} is a value, not an object")
        container = current
    container[segments[-1]] = value
