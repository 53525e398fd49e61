"""The context inspector: the run's procedure context as a tree (User, Company, Conversation, and the temporary
attributes of each connector called), arrays expandable; while the run is paused a value can be edited.

Inside an array only the root is an attribute, so editing an element edits the whole array.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from workbench import jsoncodec
from workbench.connectors import MASK, Masker
from workbench.connectors.masking import masker_of
from workbench.editing.completion import preview
from workbench.engine import ProcedureContext
from workbench.mentions import join_path
from workbench.model import BUILTIN_NAMESPACES
from workbench.tui.colours import Palette, on_theme_change, palette
from workbench.tui.drawn import drawn
from workbench.tui.focus import give_focus
from workbench.tui.keys import key_for
from workbench.tui.widgets.error_line import show_text
from workbench.tui.widgets.fields import Input
from workbench.visible import literal

MAX_CHILDREN = 200
"""Children shown per object or array; the rest are summarised in one line."""
VALUE_WIDTH = 200
"""Characters of a scalar shown in the tree; longer ones are cut."""
TEMPORARY = "Temporary attributes"


@dataclass(frozen=True)
class ContextNode:
    """What a tree node stands for: its place in the tree (``key``), the value shown, and the attribute an edit
    changes with its current value (inside an array: the whole array)."""

    key: tuple[str, ...]
    attribute: str | None
    value: Any
    shown: Any = None
    in_array: bool = False


def value_text(value: Any, colours: Palette) -> Text:
    """A scalar as the tree shows it: strings quoted, other values as JSON, coloured by the theme's ``colours``."""
    role = "string" if isinstance(value, str) else "number" if isinstance(value, (int, float)) else "keyword"
    return colours.text(preview(value, VALUE_WIDTH), role)


def edit_text(value: Any) -> str:
    """A value as the edit field shows it: a plain string as it is (unless it would read as other JSON)."""
    if isinstance(value, str):
        try:
            jsoncodec.loads(value)
        except jsoncodec.JsonValueError:
            return value
    return jsoncodec.dumps(value).decode()


def parse_edit(text: str) -> Any:
    """What the author typed: JSON when it parses as JSON, else the text itself."""
    try:
        return jsoncodec.loads(text)
    except jsoncodec.JsonValueError:
        return text


class _Planned:
    """A node the tree is to have: its label, data, whether it is unfolded, and its children."""

    def __init__(
        self, label: str | Text = "", data: ContextNode | None = None, *, expand: bool = False, leaf: bool = False
    ) -> None:
        self.label = literal(label)
        self.data = data
        self.is_expanded = expand
        self.allow_expand = not leaf
        self.children: list[_Planned] = []

    def add(self, label: str | Text, data: ContextNode | None = None, *, expand: bool = False) -> _Planned:
        self.children.append(_Planned(label, data, expand=expand))
        return self.children[-1]

    def add_leaf(self, label: str | Text, data: ContextNode | None = None) -> _Planned:
        self.children.append(_Planned(label, data, leaf=True))
        return self.children[-1]


Node = TreeNode[ContextNode] | _Planned
"""A node of the tree, or one it is to have: children are added to either alike."""
Shape = list[tuple[int, object, tuple[str, ...] | None, bool, bool]]


def _shape(root: Node, label_of: Callable[[str | Text], Text]) -> Shape:
    """Every node below ``root`` (folded ones' children too) as drawn: depth, label, place, foldable, unfolded."""
    shape: Shape = []
    pending: list[tuple[int, Node]] = []
    _below(pending, 0, root)
    while pending:
        depth, node = pending.pop()
        label = drawn(label_of(node.label))
        key = node.data.key if node.data is not None else None
        shape.append((depth, label, key, node.allow_expand, node.is_expanded))
        _below(pending, depth + 1, node)
    return shape


def _below(pending: list[tuple[int, Node]], depth: int, node: Node) -> None:
    """Queue ``node``'s children (at ``depth``) to be taken first to last from the end of ``pending``."""
    children: list[Node] = list(node.children)
    pending += [(depth, child) for child in reversed(children)]


def _take_data(node: TreeNode[ContextNode], plan: _Planned) -> None:
    """Give the tree's nodes (shaped as ``plan``) the plan's data: the values they edit."""
    for child, planned in zip(node.children, plan.children, strict=True):
        child.data = planned.data
        _take_data(child, planned)


def _grow(node: TreeNode[ContextNode], plan: _Planned) -> None:
    """Add the plan's nodes under ``node``."""
    for planned in plan.children:
        if planned.allow_expand:
            _grow(node.add(literal(planned.label), planned.data, expand=planned.is_expanded), planned)
        else:
            node.add_leaf(literal(planned.label), planned.data)


class ContextInspector(Vertical):
    """A live tree of the context; ``e`` (or Enter on a value) edits the selected value while paused."""

    DEFAULT_CSS = """
    ContextInspector { height: 1fr; }
    ContextInspector > Tree { height: 1fr; }
    ContextInspector > #context-edit { display: none; }
    ContextInspector.-editing > #context-edit { display: block; }
    ContextInspector > #context-hint { color: $text-muted; height: auto; }
    ContextInspector > #context-hint.-error { color: $error; }
    """
    BINDINGS = [
        Binding("e", "edit", "Edit value", id="context.edit"),
        Binding("escape", "cancel_edit", "Cancel edit", show=False, id="context.cancel_edit"),
    ]

    class EditSubmitted(Message):
        """The author set ``attribute`` to ``value``."""

        def __init__(self, attribute: str, value: Any) -> None:
            super().__init__()
            self.attribute = attribute
            self.value = value

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.editable = False
        self._editing: ContextNode | None = None
        self._expanded: set[tuple[str, ...]] = {("User",), ("Company",), ("Conversation",), (TEMPORARY,)}
        self._connectors_seen: set[str] = set()
        self._masker = masker_of()
        self._run_context: ProcedureContext | None = None

    def compose(self) -> ComposeResult:
        tree: Tree[ContextNode] = Tree("Context", id="context-tree")
        tree.show_root = False
        yield tree
        yield Static("", id="context-hint")
        yield Input(id="context-edit")

    def on_mount(self) -> None:
        on_theme_change(self, self._restyle)

    def _restyle(self) -> None:
        if self._run_context is not None:
            self.show_context(self._run_context, editable=self.editable, masker=self._masker)

    @property
    def tree(self) -> Tree[ContextNode]:  # type: ignore[override]  # the tree widget, not Rich's tree of the DOM
        """The tree widget."""
        return self.query_one("#context-tree", Tree)

    def show_context(self, context: ProcedureContext | None, *, editable: bool, masker: Masker | None = None) -> None:
        """Redraw the tree from ``context`` keeping what was expanded and selected; ``editable``: paused.

        Every name and value shown (and offered for editing) has ``masker``'s secrets masked. A tree that would be
        drawn as it is (a step that changed nothing in the context, a pause after a resume) keeps its nodes, which
        take the new values: a tree cleared and filled again lays the whole screen out.
        """
        self._masker = masker or masker_of()
        tree = self.tree
        self._remember_expanded(tree.root)
        self.editable = editable
        if not editable:
            self.cancel_edit()
        self._hint(
            "Paused: select a value and press e to edit it."
            if editable
            else ""
            if context is None
            else "Values can be edited while the run is paused."
        )
        self._run_context = context
        plan = _Planned()
        if context is not None:
            self._plan(plan, context)
        if _shape(plan, tree.process_label) == _shape(tree.root, tree.process_label):
            _take_data(tree.root, plan)
            return
        cursor = tree.cursor_node.data.key if tree.cursor_node is not None and tree.cursor_node.data else None
        tree.clear()
        _grow(tree.root, plan)
        if cursor is not None:
            line = self._visible_line(tree.root, cursor)
            if line is not None:
                tree.cursor_line = line

    def _plan(self, root: _Planned, context: ProcedureContext) -> None:
        """The nodes the tree shows for ``context`` (the expanded ones with their children)."""
        for namespace in BUILTIN_NAMESPACES:
            node = root.add(
                literal(namespace, style="bold"),
                ContextNode((namespace,), None, None),
                expand=(namespace,) in self._expanded,
            )
            for name, value in context.attributes[namespace].items():
                self._add(node, name, (namespace, name), join_path([namespace, name]), value)
        temporary = root.add(TEMPORARY, ContextNode((TEMPORARY,), None, None), expand=(TEMPORARY,) in self._expanded)
        for connector, value in context.temporary.items():
            if connector not in self._connectors_seen:
                self._connectors_seen.add(connector)
                self._expanded.add((TEMPORARY, connector))
            self._add(temporary, connector, (TEMPORARY, connector), connector, value)

    def _add(
        self,
        parent: Node,
        label: str,
        key: tuple[str, ...],
        attribute: str | None,
        value: Any,
        *,
        edits: Any = None,
        in_array: bool = False,
    ) -> None:
        """Add ``value`` under ``parent``; inside an array every node edits the array (``edits``), not itself.
        A redacted attribute shows ``***`` and cannot be edited."""
        if attribute is not None and self._run_context is not None and self._run_context.is_redacted(attribute):
            parent.add_leaf(
                Text.assemble(literal(label, "bold"), ": ", (MASK, "dim")), ContextNode(key, None, MASK, MASK)
            )
            return
        data = ContextNode(key, attribute, edits if in_array else value, value, in_array)
        label = self._masker.text(label)
        if not isinstance(value, (dict, list)):
            parent.add_leaf(
                Text.assemble(literal(label, "bold"), ": ", value_text(self._masker.mask(value), palette(self.app))),
                data,
            )
            return
        size = f" {{{len(value)}}}" if isinstance(value, dict) else f" [{len(value)}]"
        node = parent.add(
            Text.assemble(literal(label, "bold"), literal(size, "dim")), data, expand=key in self._expanded
        )
        if node.is_expanded:
            self._populate(node)

    def _populate(self, node: Node) -> None:
        """Add a container node's children (done when it is first expanded, so big responses cost nothing)."""
        data = node.data
        if data is None or node.children or not isinstance(data.shown, (dict, list)):
            return
        value = data.shown
        inside = data.in_array or isinstance(value, list)
        items = value.items() if isinstance(value, dict) else ((f"[{index}]", item) for index, item in enumerate(value))
        for index, (name, item) in enumerate(items):
            if index == MAX_CHILDREN:
                node.add_leaf(literal(f"… {len(value) - MAX_CHILDREN:,} more", style="dim"))
                break
            child = data.attribute if inside or data.attribute is None else join_path([data.attribute, str(name)])
            self._add(node, str(name), (*data.key, str(name)), child, item, edits=data.value, in_array=inside)

    def _remember_expanded(self, node: TreeNode[ContextNode]) -> None:
        for child in node.children:
            if child.data is None:
                continue
            if child.is_expanded:
                self._expanded.add(child.data.key)
            elif child.allow_expand:
                self._expanded.discard(child.data.key)
            self._remember_expanded(child)

    @staticmethod
    def _visible_line(root: TreeNode[ContextNode], key: tuple[str, ...]) -> int | None:
        """The line the node with ``key`` shows on (the root is hidden), if it is visible."""
        line = 0
        stack = list(reversed(root.children))
        while stack:
            node = stack.pop()
            if node.data is not None and node.data.key == key:
                return line
            line += 1
            if node.is_expanded:
                stack.extend(reversed(node.children))
        return None

    # -- editing --------------------------------------------------------------------------------------------------

    def action_edit(self) -> None:
        """Edit the selected value (while paused)."""
        node = self.tree.cursor_node
        if node is None or node.data is None:
            return
        if not self.editable:
            self._hint(
                f"Pause the run ({key_for(self.app, 'debug.step')}, or a breakpoint) to edit values.", error=True
            )
            return
        data = node.data
        if data.attribute is None:
            self._hint("Choose a value inside a namespace or a connector to edit it.", error=True)
            return
        self._editing = data
        edit = self.query_one("#context-edit", Input)
        edit.value = edit_text(self._masker.mask(data.value))
        edit.border_title = literal(f"{self._masker.text(data.attribute)} =")
        self.add_class("-editing")
        self._hint("Enter sets the value (JSON, or plain text); Escape cancels.")
        give_focus(edit)

    def action_cancel_edit(self) -> None:
        """Leave the edit field without changing anything."""
        self.cancel_edit()
        give_focus(self.tree)

    def cancel_edit(self) -> None:
        """Close the edit field."""
        self._editing = None
        self.remove_class("-editing")

    @on(Tree.NodeExpanded, "#context-tree")
    def _expanded_node(self, event: Tree.NodeExpanded[ContextNode]) -> None:
        self._populate(event.node)

    @on(Tree.NodeSelected, "#context-tree")
    def _selected(self, event: Tree.NodeSelected[ContextNode]) -> None:
        if not event.node.allow_expand and event.node.data is not None:
            self.action_edit()

    @on(Input.Submitted, "#context-edit")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._editing is None or self._editing.attribute is None:
            return
        attribute = self._editing.attribute
        self.cancel_edit()
        give_focus(self.tree)
        self.post_message(self.EditSubmitted(attribute, parse_edit(event.value)))

    def show_error(self, message: str) -> None:
        """Say why an edit was refused."""
        self._hint(message, error=True)

    def _hint(self, text: str, *, error: bool = False) -> None:
        hint = self.query_one("#context-hint", Static)
        show_text(hint, literal(text))
        hint.set_class(error, "-error")
