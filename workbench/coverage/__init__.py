"""Procedure coverage: which steps, branch arms and connector outcomes the scenarios exercise.

Public API::

    from workbench.coverage import Hits, measure, formats, exchange

    hits = Hits()
    hits.add_run(result.events)           # one scenario run (never a debugger run); hits.merge(other) adds counts
    report = measure(workspace, hits)     # every procedure: steps, arms and outcomes reached, of how many
    report.ratio("arm").percent           # what ``--fail-under`` checks
    procedure.missing                     # items never reached, each located (path, line, column) and described
    formats.text(report), formats.markdown(report), formats.to_json(report)
    exchange.lcov(report), exchange.cobertura(report)

What is counted, per procedure (a sub-procedure's steps count where it is defined): every step; every arm (each
branch of a condition, its ``else``, each instruction's ``on_error`` path); at each call site (an instruction's
``@call``), every outcome the engine can give the call (:func:`workbench.coverage.universe.outcomes`); at collect
steps and ``describe`` conditions, the distinct answers and decisions given (a count, not a share).
"""

from workbench.coverage import exchange, formats
from workbench.coverage.hits import Hits
from workbench.coverage.report import CoverageReport, Measured, ProcedureCoverage, Ratio, measure
from workbench.coverage.universe import Item, outcomes

__all__ = [
    "CoverageReport",
    "Hits",
    "Item",
    "Measured",
    "ProcedureCoverage",
    "Ratio",
    "exchange",
    "formats",
    "measure",
    "outcomes",
]
