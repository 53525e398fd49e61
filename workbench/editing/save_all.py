"""Saving every unsaved item at once (each atomically), the items that may not be saved yet, and what quitting
has to ask about."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from workbench.editing.edit_session import EditSession, Entry, SaveRefused


@dataclass(frozen=True)
class Refusal:
    """An item left unsaved, and why, each reason naming where (``headers: not valid JSON at 2:5 — not saved``).

    ``unsettled``: text in a field that keeps no draft does not parse (fix it first, or saving would drop it);
    otherwise the item has drafts, or a file it did not load is in the way, or the file could not be written.
    """

    entry: Entry
    reasons: list[str]
    unsettled: bool = False


@dataclass(frozen=True)
class SaveReport:
    """What :func:`save_all` did: the items saved, those refused (still unsaved)."""

    saved: list[Entry] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def nothing_to_save(self) -> bool:
        """Whether no item was unsaved."""
        return not self.saved and not self.refused


def _no_unsettled(_entry: Entry) -> Sequence[str]:
    return ()


def save_all(session: EditSession, unsettled: Callable[[Entry], Sequence[str]] = _no_unsettled) -> SaveReport:
    """Save every unsaved item, each atomically (:meth:`EditSession.save`); an item with drafts, or whose editor
    holds ``unsettled`` text (invalid input that keeps no draft), is left unsaved and named with why."""
    report = SaveReport()
    for entry in session.dirty_entries():
        pending = list(unsettled(entry))
        if pending:
            report.refused.append(Refusal(entry, pending, unsettled=True))
            continue
        try:
            session.save(entry)
        except (OSError, SaveRefused) as error:
            report.refused.append(Refusal(entry, [str(error)]))
            continue
        report.saved.append(entry)
    return report


@dataclass(frozen=True)
class QuitCheck:
    """What quitting finds unsaved: it asks first when anything is."""

    unsaved: list[Entry]

    @property
    def ask(self) -> bool:
        """Whether to ask before quitting."""
        return bool(self.unsaved)


def quit_check(session: EditSession) -> QuitCheck:
    """The items unsaved now: each one marked so is compared with its file first (an edit undone by hand, or a
    lint not yet run, leaves nothing to ask about)."""
    for entry in session.dirty_entries():
        entry.refresh_dirty()
    return QuitCheck(session.dirty_entries())
