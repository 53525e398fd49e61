"""The coverage of a workspace's procedures: the universe against the hits, per procedure and overall."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.coverage.hits import Hits
from workbench.coverage.universe import KINDS, Item, ItemKind, ValueSite, universe
from workbench.store import Workspace

_MISSED = {"step": "never reached", "arm": "never taken", "outcome": "never met"}


@dataclass(frozen=True)
class Ratio:
    """How many of a kind of item were reached, of how many."""

    covered: int
    total: int

    @property
    def percent(self) -> float:
        """The share reached, in percent (100 when there is nothing to reach)."""
        return 100.0 * self.covered / self.total if self.total else 100.0

    def __str__(self) -> str:
        return f"{self.covered}/{self.total} {self.percent:.1f}%" if self.total else "-"


@dataclass(frozen=True)
class Measured:
    """An item and how often the scenarios reached it."""

    item: Item
    hits: int

    @property
    def missing(self) -> str:
        """The one-line description of the item as missed ("branch 2 of `route` (code: `x > 1`) never taken")."""
        return f"{self.item.what} {_MISSED[self.item.kind]}"


@dataclass(frozen=True)
class Answers:
    """The distinct answer (collect) or decision (describe) classes the scenarios gave at a step."""

    site: ValueSite
    classes: list[str]


@dataclass(frozen=True)
class ProcedureCoverage:
    """One procedure's items with their hits, and its answer classes."""

    name: str
    path: Path
    items: list[Measured]
    answers: list[Answers]

    def ratio(self, kind: ItemKind) -> Ratio:
        """Steps, arms or outcomes reached, of how many."""
        of_kind = [measured for measured in self.items if measured.item.kind == kind]
        return Ratio(sum(measured.hits > 0 for measured in of_kind), len(of_kind))

    @property
    def missing(self) -> list[Measured]:
        """The items no scenario reached, in document order."""
        return [measured for measured in self.items if not measured.hits]


@dataclass(frozen=True)
class CoverageReport:
    """The workspace's coverage: every procedure, and how many scenario runs it was measured over."""

    root: Path
    procedures: list[ProcedureCoverage]
    runs: int

    def ratio(self, kind: ItemKind) -> Ratio:
        """A kind of item reached over every procedure."""
        parts = [procedure.ratio(kind) for procedure in self.procedures]
        return Ratio(sum(part.covered for part in parts), sum(part.total for part in parts))

    def totals(self) -> dict[ItemKind, Ratio]:
        """The overall ratio of each kind."""
        return {kind: self.ratio(kind) for kind in KINDS}


def measure(workspace: Workspace, hits: Hits) -> CoverageReport:
    """The coverage of ``workspace``'s procedures by ``hits``."""
    procedures = [
        ProcedureCoverage(
            part.name,
            part.path,
            [Measured(item, hits.count(item.kind, item.procedure, *item.key)) for item in part.items],
            [Answers(site, hits.classes(site.procedure, site.step)) for site in part.values],
        )
        for part in universe(workspace)
    ]
    return CoverageReport(workspace.root, procedures, hits.runs)
