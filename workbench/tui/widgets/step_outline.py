"""A procedure's steps as an outline: branches nested, types and ids visible; add, remove, move, retype."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from workbench.editing import operations as ops
from workbench.editing import step_ops
from workbench.editing.operations import Change
from workbench.editing.step_ops import Slot
from workbench.model import AnyStep, Procedure
from workbench.model.kinds import StepType, branch_when, branches_of, kind_of, require_every_kind, summary, when_kind
from workbench.tui.colours import on_theme_change, palette
from workbench.tui.keys import KeyHints, key_for
from workbench.visible import literal

Perform = Callable[[Change], "str | None"]
TYPE_STYLES = {
    "instruction": "primary",
    "condition": "accent",
    "collect": "success",
    "subprocedure": "secondary",
    "end": "warning",
    "code": "keyword",
}
"""How each step type is drawn, as roles of :mod:`workbench.tui.colours`."""
require_every_kind("tui.widgets.step_outline.TYPE_STYLES", TYPE_STYLES)
UNREACHED = "◌"
"""The mark of a step or arm no scenario reaches (once the scenarios ran)."""
BADGE_STYLES = {
    "✗": "bold error",
    "!": "bold warning",
    "●": "bold error",
    "▶": "bold accent",
    "✓": "bold success",
    UNREACHED: "muted",
}
"""How a badge is drawn: lint errors and warnings, the debugger's breakpoint, current step and path taken, and
what no scenario reaches."""


@dataclass(frozen=True)
class OutlineRef:
    """What an outline node stands for: a step (``step_id``) or a nested list of steps (``slot``)."""

    step_id: str | None = None
    slot: Slot | None = None


class StepOutline(Tree[OutlineRef]):
    """The step tree of one procedure.

    ``markers`` maps step ids to a one-character badge drawn before the step (lint problems use ✗ and !;
    the debugger can add its own, e.g. breakpoints, with :meth:`set_markers`).
    """

    HELP = KeyHints(
        "The procedure's steps. ↑↓ move, ←→ fold, {outline.add_step} add a step, {outline.retype} change its type, "
        "{outline.remove} remove, {outline.move_up}/{outline.move_down} move it, {outline.add_branch} add a branch "
        "to a condition, {outline.error_path} give an instruction an error path. Once the scenarios ran, ◌ marks "
        "the steps and arms (branches, else, error paths) no scenario reaches."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_step", "Add step", id="outline.add_step"),
        Binding("t", "retype", "Change type", id="outline.retype"),
        Binding("delete,x", "remove", "Remove", id="outline.remove"),
        Binding("ctrl+up", "move(-1)", "Move up", show=False, id="outline.move_up"),
        Binding("ctrl+down", "move(1)", "Move down", show=False, id="outline.move_down"),
        Binding("b", "add_branch", "Add branch", show=False, id="outline.add_branch"),
        Binding("e", "toggle_error_path", "Error path", show=False, id="outline.error_path"),
    ]

    class Highlighted(Message):
        """The outline's cursor is on a step or a nested list."""

        def __init__(self, outline: StepOutline, ref: OutlineRef) -> None:
            super().__init__()
            self.outline = outline
            self.ref = ref

    class AskStepType(Message):
        """Ask the user for a step type; ``purpose`` is ``add`` or ``retype``."""

        def __init__(self, outline: StepOutline, purpose: str, ref: OutlineRef) -> None:
            super().__init__()
            self.outline = outline
            self.purpose = purpose
            self.ref = ref

    class AskRemove(Message):
        """Ask to confirm removing a step that nests others."""

        def __init__(self, outline: StepOutline, step_id: str, nested: int) -> None:
            super().__init__()
            self.outline = outline
            self.step_id = step_id
            self.nested = nested

    def __init__(
        self,
        procedure: Procedure,
        perform: Perform,
        *,
        fill: Callable[[str], None] | None = None,
        id: str | None = None,
    ) -> None:
        """``perform`` applies an operation through the item's history and redraws (the editor's job); it
        returns why the operation was refused, or ``None``. ``fill`` puts the caret in the field an author fills
        after an edit made something new to fill (a branch's test, ``branches.1.when``), at once: the keys typed
        next go there, never to the outline's one-letter commands."""
        super().__init__("steps", id=id)
        self.procedure = procedure
        self.perform = perform
        self.fill = fill
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self.markers: dict[str, str] = {}
        self._problems: dict[str, str] = {}
        self._unreached: tuple[frozenset[str], frozenset[Slot]] = (frozenset(), frozenset())

    def on_mount(self) -> None:
        self.rebuild()
        on_theme_change(self, self.refresh_labels)

    @property
    def current(self) -> OutlineRef | None:
        """What the cursor is on."""
        node = self.cursor_node
        return node.data if node is not None else None

    # -- drawing ---------------------------------------------------------------------------------------

    def rebuild(self, select: str | OutlineRef | None = None) -> None:
        """Redraw the tree from the procedure, keeping (or moving) the cursor."""
        wanted = select if select is not None else self.current
        if isinstance(wanted, str):
            wanted = OutlineRef(step_id=wanted)
        self.clear()
        self._add_steps(self.root, self.procedure.steps)
        found = self._find(wanted) if wanted is not None else None
        if self.procedure.steps:
            self.cursor_line = found[1] if found is not None else 0

    def _find(self, ref: OutlineRef) -> tuple[TreeNode[OutlineRef], int] | None:
        """The node for ``ref`` and its line (every node is expanded after a rebuild)."""
        pending = list(self.root.children)
        line = 0
        while pending:
            node = pending.pop(0)
            if node.data == ref:
                return node, line
            pending[:0] = list(node.children)
            line += 1
        return None

    def _add_steps(self, parent: TreeNode[OutlineRef], steps: list[AnyStep]) -> None:
        for step in steps:
            slots = step_ops.slots_of(step)
            label = self._label(step)
            if not slots:
                parent.add_leaf(label, OutlineRef(step_id=step.id))
                continue
            node = parent.add(label, OutlineRef(step_id=step.id), expand=True)
            for slot in slots:
                child = node.add(self._slot_label(step, slot), OutlineRef(slot=slot), expand=True)
                self._add_steps(child, step_ops.steps_in(self.procedure, slot))

    def _label(self, step: AnyStep) -> Text:
        unreached = UNREACHED if step.id in self._unreached[0] else " "
        badge = self.markers.get(step.id) or self._problems.get(step.id) or unreached
        style = palette(self.app).style
        return Text.assemble(
            literal(badge, style(BADGE_STYLES.get(badge, "bold"))),
            " ",
            literal(step.id, "bold"),
            " ",
            literal(step.type, style(TYPE_STYLES[step.type])),
            " ",
            literal(summary(step), style("muted")),
        )

    def _slot_label(self, step: AnyStep, slot: Slot) -> Text:
        when = branch_when(step, slot.branch) if slot.part == "branch" else None
        if when is not None:
            label = literal(when_kind(when).summary(when), "italic")
        else:
            label = Text("else" if slot.part == "else" else "on error", "italic")
        if slot in self._unreached[1]:
            label = Text.assemble(literal(f"{UNREACHED} ", palette(self.app).style(BADGE_STYLES[UNREACHED])), label)
        return label

    def refresh_labels(self) -> None:
        """Redraw the labels (after a step's text or test changed, or the theme) without rebuilding the tree; a
        tree whose nodes the procedure no longer has (a branch undone) is rebuilt instead."""
        if not self.shows_model():
            self.rebuild()
            return
        pending = list(self.root.children)
        while pending:
            node = pending.pop()
            pending.extend(node.children)
            ref = node.data
            if ref is None:
                continue
            label = None
            if ref.step_id is not None:
                step = self.procedure.step(ref.step_id)
                label = self._label(step) if step is not None else None
            elif ref.slot is not None and ref.slot.owner is not None:
                owner = self.procedure.step(ref.slot.owner)
                label = self._slot_label(owner, ref.slot) if owner is not None else None
            if label is not None and label != node.label:
                node.set_label(label)

    def set_markers(self, markers: Mapping[str, str]) -> None:
        """Badges by step id, drawn before lint badges (e.g. ``{"lookup": "●"}`` for a breakpoint)."""
        self.markers = dict(markers)
        self.refresh_labels()

    def set_problems(self, problems: Mapping[str, str]) -> None:
        """Lint badges by step id: ``✗`` errors, ``!`` warnings."""
        if dict(problems) != self._problems:
            self._problems = dict(problems)
            self.refresh_labels()

    def set_unreached(self, steps: Iterable[str], slots: Iterable[Slot]) -> None:
        """Mark (◌) the steps and the arms (branch, else and error-path slots) no scenario reaches; empty: none."""
        unreached = (frozenset(steps), frozenset(slots))
        if unreached != self._unreached:
            self._unreached = unreached
            self.refresh_labels()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[OutlineRef]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.Highlighted(self, event.node.data))

    class Opened(Message):
        """Enter on a node: edit it (the form takes the focus)."""

        def __init__(self, outline: StepOutline, ref: OutlineRef) -> None:
            super().__init__()
            self.outline = outline
            self.ref = ref

    def on_tree_node_selected(self, event: Tree.NodeSelected[OutlineRef]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.Opened(self, event.node.data))

    # -- editing ---------------------------------------------------------------------------------------

    def action_add_step(self) -> None:
        """Ask for a type, then add a step after the selected one (or into the selected branch)."""
        self.post_message(self.AskStepType(self, "add", self.current or OutlineRef(slot=Slot())))

    def action_retype(self) -> None:
        """Ask for a new type for the selected step."""
        ref = self.current
        if ref is not None and ref.step_id is not None:
            self.post_message(self.AskStepType(self, "retype", ref))

    def add_step_change(self, ref: OutlineRef, step_type: StepType) -> Change:
        """The operation adding a fresh step of ``step_type`` after ``ref``'s step (or into its list)."""
        if ref.step_id is not None:
            return ops.add_step(self.procedure, step_type, after=ref.step_id)
        return ops.add_step(self.procedure, step_type, slot=ref.slot or Slot())

    def action_remove(self) -> None:
        """Remove the selected step (asking first when it nests others), or the selected branch."""
        ref = self.current
        if ref is None:
            return
        slot = ref.slot
        if slot is not None and slot.part == "branch" and slot.owner is not None:
            owner = slot.owner
            self._perform(lambda: ops.remove_branch(self.procedure, owner, slot.branch))
            return
        if ref.step_id is None:
            return
        step = self.procedure.step(ref.step_id)
        nested = step_ops.nested_count(step) if step is not None else 0
        if nested:
            self.post_message(self.AskRemove(self, ref.step_id, nested))
        else:
            self.remove_step(ref.step_id)

    def remove_step(self, step_id: str) -> None:
        """Remove a step; the cursor goes to its neighbour."""
        self._perform(lambda: ops.remove_step(self.procedure, step_id))

    def action_move(self, delta: int) -> None:
        """Move the selected step up or down inside its list."""
        ref = self.current
        if ref is not None and ref.step_id is not None:
            step_id = ref.step_id
            self._perform(lambda: ops.move_step(self.procedure, step_id, delta))

    def action_add_branch(self) -> None:
        """Add a branch to the selected condition step."""
        ref = self.current
        owner = ref.step_id if ref and ref.step_id else (ref.slot.owner if ref and ref.slot else None)
        step = self.procedure.step(owner) if owner is not None else None
        if owner is None or step is None or branches_of(step) is None:
            return
        change, index = ops.add_branch(self.procedure, owner)
        if self.perform(change) is None:
            self.select_ref(OutlineRef(slot=Slot(owner, "branch", index)))
            if self.fill is not None:
                self.fill(f"branches.{index}.when")
            self.notify(f"{change.label} — {key_for(self.app, 'editor.undo')} undoes", timeout=3)

    def action_toggle_error_path(self) -> None:
        """Give the selected instruction or code step an error path, or take it away."""
        ref = self.current
        step = self.procedure.step(ref.step_id) if ref is not None and ref.step_id is not None else None
        if step is not None and kind_of(step).error_path:
            step_id = step.id
            self._perform(lambda: ops.toggle_error_path(self.procedure, step_id))

    def _perform(self, make: Callable[[], Change | None]) -> None:
        try:
            change = make()
        except ops.EditError as problem:
            self.notify(f"✗ {problem}", severity="error")
            return
        if change is not None and self.perform(change) is None:
            self.notify(f"{change.label} — {key_for(self.app, 'editor.undo')} undoes", timeout=3)

    def shows_model(self) -> bool:
        """Whether the tree has a node for every step and nested list of the procedure, in order, and no other."""
        shown: list[OutlineRef] = []
        pending = list(self.root.children)
        while pending:
            node = pending.pop(0)
            if node.data is not None:
                shown.append(node.data)
            pending[:0] = list(node.children)
        return shown == list(self._model_refs(self.procedure.steps))

    def _model_refs(self, steps: list[AnyStep]) -> Iterator[OutlineRef]:
        """The nodes the procedure's steps get, in the order :meth:`_add_steps` adds them."""
        for step in steps:
            yield OutlineRef(step_id=step.id)
            for slot in step_ops.slots_of(step):
                yield OutlineRef(slot=slot)
                yield from self._model_refs(step_ops.steps_in(self.procedure, slot))

    def ids(self) -> list[str]:
        """The step ids the outline shows, in order (what tests compare with the model)."""
        ids: list[str] = []
        pending = list(self.root.children)
        while pending:
            node = pending.pop(0)
            if node.data is not None and node.data.step_id is not None:
                ids.append(node.data.step_id)
            pending[:0] = list(node.children)
        return ids

    def select_ref(self, ref: OutlineRef) -> None:
        """Move the cursor to a step or nested list."""
        found = self._find(ref)
        if found is not None:
            self.cursor_line = found[1]
