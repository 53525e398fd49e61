"""The workspace tree: connectors, procedures, scenarios and settings, with unsaved and problem badges."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, Union

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from workbench.folders import name_key
from workbench.quick_index import QuickItem
from workbench.tui.colours import on_theme_change, palette
from workbench.tui.messages import OpenEntry
from workbench.visible import literal

if TYPE_CHECKING:
    from workbench.editing.edit_session import EditSession, Entry
    from workbench.store import LoadProblem

GROUPS = (("connector", "Connectors"), ("procedure", "Procedures"), ("scenario", "Scenarios"))
TreeData = Union["Entry", "LoadProblem", QuickItem, str]
"""A node's data: an entry, a file that did not load, an item still loading, or a group's kind."""


class WorkspaceTree(Tree[TreeData]):
    """Every item of the workspace; Enter opens one. ``●`` marks unsaved items, ✗ and ! lint problems."""

    HELP: ClassVar[str] = (
        "The workspace. ↑↓ move, Enter opens the item, ←→ fold a group. ● unsaved, ✗ errors, ! warnings; "
        "a procedure's scenarios: ▶✓ all pass, ▶✗2 two fail. The marks come before the name, which the pane cuts."
    )

    class OpenWhenLoaded(Message):
        """An item was chosen before the models finished loading."""

        def __init__(self, item: QuickItem) -> None:
            super().__init__()
            self.item = item

    class ShowProblem(Message):
        """A file that did not load was selected."""

        def __init__(self, problem: LoadProblem) -> None:
            super().__init__()
            self.problem = problem

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("workspace", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.session: EditSession | None = None
        self.badges: dict[Entry, str] = {}
        self.test_badges: dict[Entry, str] = {}
        self._entry_nodes: dict[Entry, TreeNode[TreeData]] = {}
        """Each entry's node, as last built (to redraw one label without walking the tree)."""

    def show_index(self, items: list[QuickItem]) -> None:
        """Draw the items found on disk while their models load (they open once loaded)."""
        self.clear()
        for kind, title in GROUPS:
            mine = sorted((item for item in items if item.kind == kind), key=lambda item: name_key(item.name))
            group = self.root.add(literal(f"{title} ({len(mine)})"), kind, expand=True)
            for item in mine:
                group.add_leaf(literal(item.name), item)
        self.root.add_leaf(Text("Settings (workbench.json)"), "settings")
        self.cursor_line = 0

    def rebuild(self, session: EditSession, select: Entry | None = None) -> None:
        """Redraw every group from the session (keeping the cursor on ``select`` or the current item).

        When the groups hold the same items in the same order (an item renamed in place, as each key typed in a
        name does, or the items of the index drawn while loading, now loaded), the nodes stay, take the items
        and only the labels that changed are redrawn: no new tree, no layout of the screen."""
        self.session = session
        keep = select if select is not None else (self.cursor_node.data if self.cursor_node else None)
        if isinstance(keep, QuickItem):  # the first build after loading: stay on the same file
            keep = next((entry for entry in session.entries if entry.path == keep.path), None)
        groups = [
            (
                kind,
                f"{title} ({len(entries)})",
                entries,
                [problem for problem in session.problems.values() if _kind_of(problem) == kind],
            )
            for kind, title in GROUPS
            for entries in [session.of_kind(kind)]
        ]
        shape: list[TreeData | None] = []
        for kind, _, entries, broken in groups:
            shape += [kind, *entries, *broken]
        shape.append(session.settings)
        nodes = self._drawn_nodes()
        if self._stand_for([node.data for node in nodes], shape) and all(
            node.is_expanded for node in self.root.children if node.children
        ):
            for node, datum in zip(nodes, shape, strict=True):
                node.data = datum
            listed = {session.settings, *(entry for _, _, entries, _ in groups for entry in entries)}
            self._entry_nodes = {entry: node for node, entry in zip(nodes, shape, strict=True) if entry in listed}
            for node, (_, title, _, _) in zip(self.root.children, groups, strict=False):
                if literal(title) != node.label:
                    node.set_label(literal(title))
            self.refresh_labels()
        else:
            self._make_nodes(groups, session)
        self.cursor_line = shape.index(keep) if keep is not None and keep in shape else 0

    @staticmethod
    def _stand_for(drawn: list[TreeData | None], items: list[TreeData | None]) -> bool:
        """Whether the nodes drawn (their data, in order) stand for ``items`` one for one: the very items, or the
        index's items (drawn while loading) the items loaded from their files."""
        from workbench.editing.edit_session import Entry  # loaded with the workspace, after the first frame

        def stands_for(old: TreeData | None, new: TreeData | None) -> bool:
            if isinstance(old, QuickItem) and isinstance(new, Entry):
                return old.path == new.path
            if old == "settings" and isinstance(new, Entry):
                return new.kind == "workspace"
            return old is new or old == new

        return len(drawn) == len(items) and all(map(stands_for, drawn, items))

    def _drawn_nodes(self) -> list[TreeNode[TreeData]]:
        """Every node, in the order drawn (groups unfolded)."""
        return [each for node in self.root.children for each in (node, *node.children)]

    def _make_nodes(self, groups: list[tuple[str, str, list[Entry], list[LoadProblem]]], session: EditSession) -> None:
        """Make the nodes afresh: each group with its entries and the files of its kind that did not load."""
        self.clear()
        self._entry_nodes = {}
        for kind, title, entries, broken in groups:
            group = self.root.add(literal(title), kind, expand=True)
            for entry in entries:
                self._entry_nodes[entry] = group.add_leaf(self._label(entry), entry)
            for problem in broken:
                group.add_leaf(self._problem_label(problem), problem)
        self._entry_nodes[session.settings] = self.root.add_leaf(self._label(session.settings), session.settings)

    def on_mount(self) -> None:
        on_theme_change(self, self.refresh_labels)

    def _label(self, entry: Entry) -> Text:
        name = "Settings (workbench.json)" if entry.kind == "workspace" else entry.name
        badge = self.badges.get(entry, "")
        tested = self.test_badges.get(entry, "")
        style = palette(self.app).style
        return Text.assemble(  # marks first: a name wider than the pane is cut, never a mark
            ("● " if entry.dirty else "", style("bold warning")),
            literal(f"{badge} " if badge else "", style("bold error" if badge.startswith("✗") else "bold warning")),
            literal(f"▶{tested} " if tested else "", style("bold success" if tested == "✓" else "bold error")),
            literal(name, ""),
        )

    def _problem_label(self, problem: LoadProblem) -> Text:
        style = palette(self.app).style
        return Text.assemble(("✗ ", style("bold error")), literal(problem.path.name, style("error")))

    def refresh_labels(self) -> None:
        """Redraw the labels (unsaved markers, badges, the theme's colours) without rebuilding."""
        from workbench.editing.edit_session import (
            Entry,  # loaded with the workspace, after the first frame
        )
        from workbench.store import LoadProblem

        for node in list(self.root.children):
            for leaf in [node, *node.children]:
                if isinstance(leaf.data, Entry):
                    label = self._label(leaf.data)
                elif isinstance(leaf.data, LoadProblem):
                    label = self._problem_label(leaf.data)
                else:
                    continue
                if label != leaf.label:
                    leaf.set_label(label)

    def refresh_label(self, entry: Entry) -> None:
        """Redraw one entry's label (after an edit changed its unsaved marker)."""
        node = self._entry_nodes.get(entry)
        if node is not None:
            label = self._label(entry)
            if label != node.label:
                node.set_label(label)

    def _changed(self, before: Mapping[Entry, str], after: Mapping[Entry, str]) -> None:
        for entry in {*before, *after}:
            if before.get(entry) != after.get(entry):
                self.refresh_label(entry)

    def set_badges(self, badges: Mapping[Entry, str]) -> None:
        """Problem badges by entry, e.g. ``"✗2"`` or ``"!1"``."""
        before, self.badges = self.badges, dict(badges)
        self._changed(before, self.badges)

    def set_test_badges(self, badges: Mapping[Entry, str]) -> None:
        """Scenario badges by procedure entry: ``✓`` all pass, ``✗2`` two failing, ``…`` running."""
        before, self.test_badges = self.test_badges, dict(badges)
        self._changed(before, self.test_badges)

    def on_tree_node_selected(self, event: Tree.NodeSelected[TreeData]) -> None:
        from workbench.editing.edit_session import Entry
        from workbench.store import LoadProblem

        event.stop()
        data = event.node.data
        if isinstance(data, Entry):
            self.post_message(OpenEntry(data))
        elif isinstance(data, QuickItem):
            self.post_message(self.OpenWhenLoaded(data))
        elif isinstance(data, LoadProblem):
            self.post_message(self.ShowProblem(data))


def _kind_of(problem: LoadProblem) -> str:
    return {"connectors": "connector", "procedures": "procedure", "scenarios": "scenario"}.get(
        problem.path.parent.name, ""
    )
