"""What a model may see: secrets masked, redacted attributes withheld.

One filter stands between the run and every request sent to a model. It masks with the run's masker
(:func:`workbench.connectors.masking.run_masker`: every secret of the workspace, and any the run met); redacted attributes are the response fields a
connector declares ``"redacted": true`` (:func:`redacted_paths`: the one place that reads them). Their values
are left out of the data a prompt shows, and masked wherever else they would appear (a message, the
conversation) — every string value of a redacted attribute at least :data:`MIN_MASKED_CHARS` long.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from workbench.connectors import Masker
from workbench.engine import ProcedureContext
from workbench.mentions import normalize_path, split_path
from workbench.model import Connector

REDACTED = "[redacted]"
MIN_MASKED_CHARS = 4
"""Shorter values of redacted attributes are withheld from data but not hunted in text (they would mask
ordinary words and numbers)."""


def redacted_paths(connectors: Mapping[str, Connector]) -> frozenset[str]:
    """The attribute paths (``"Connector > field"``) the connectors declare redacted in ``response.fields``."""
    paths: set[str] = set()
    for connector in connectors.values():
        response = connector.response
        fields = getattr(response, "fields", None) or (response.model_extra or {}).get("fields") or []
        for field in fields:
            path = field.get("path") if isinstance(field, dict) else getattr(field, "path", None)
            redacted = field.get("redacted") if isinstance(field, dict) else getattr(field, "redacted", False)
            if not redacted or not isinstance(path, str) or not path.strip():
                continue
            segments = split_path(path.replace(".", " > ") if ">" not in path else path)
            if segments[0] != connector.name:
                segments = (connector.name, *segments)
            paths.add(normalize_path(" > ".join(segments)))
    return frozenset(paths)


def _scalars(value: Any) -> list[str]:
    """Every string and number inside ``value``, as text."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in _scalars(item)]
    if isinstance(value, list):
        return [text for item in value for text in _scalars(item)]
    if value is None or isinstance(value, bool):
        return []
    return [str(value)]


def _under(path: str, roots: Iterable[str]) -> bool:
    return any(path == root or path.startswith(root + " > ") for root in roots)


class Redactor:
    """Filters what goes to a model. Build one per run; :meth:`learn` the run's values as they come."""

    def __init__(self, masker: Masker, redacted: Iterable[str] = ()) -> None:
        self.redacted = frozenset(normalize_path(path) for path in redacted)
        self.context: ProcedureContext | None = None
        """The run's context: the values of its redacted attributes are masked in every request."""
        self._masker = masker

    def share(self, masker: Masker) -> None:
        """Mask with the run's own masker from now on (it learns what this one knew): one masker per run, so a
        token fetched or a value redacted during the run is masked in prompts as everywhere else."""
        masker.absorb(self._masker)
        self._masker = masker

    def learn(self, values: Mapping[str, Any]) -> None:
        """Remember the values of redacted attributes among ``values`` (``{path: value}``), to mask them in text."""
        found: list[str] = []
        for path, value in values.items():
            if not _under(path, self.redacted):
                continue
            found += [text for text in _scalars(value) if len(text) >= MIN_MASKED_CHARS]
        self._masker.add(found)

    def attributes(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` (``{path: value}``) safe to show: redacted attributes (and those inside them) replaced by
        ``[redacted]``, objects holding a redacted attribute filtered, secrets masked."""
        self.learn(values)
        shown: dict[str, Any] = {}
        for path, value in values.items():
            shown[path] = REDACTED if _under(path, self.redacted) else self._withhold(path, value)
        redacted: dict[str, Any] = self(shown)
        return redacted

    def _withhold(self, path: str, value: Any) -> Any:
        """``value`` with any redacted attribute inside it (by path) replaced."""
        if not isinstance(value, dict):
            return value
        return {
            key: REDACTED if _under(f"{path} > {key}", self.redacted) else self._withhold(f"{path} > {key}", item)
            for key, item in value.items()
        }

    def __call__(self, data: Any) -> Any:
        """``data`` (JSON-like) with every secret and every value of a redacted attribute masked: the last
        filter before a request is sent."""
        if self.context is not None:
            found = {path: self.context.resolve(path) for path in self.redacted}
            self.learn({path: resolution.value for path, resolution in found.items() if resolution.found})
        return self._masker.mask(data)
