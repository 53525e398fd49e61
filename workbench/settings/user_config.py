"""The user's own settings (``~/.config/workbench/config.json``): theme, keymap, pane sizes, delays.

JSON like every other file of the project, read and written by :mod:`workbench.jsonfile` (located errors,
atomic saves). A broken file never stops the app: each bad part is reported where it is, and replaced by its
default; the rest of the file still applies.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from workbench.jsonfile import JsonFileError, locate, read_json
from workbench.settings.config_file import LINT_DELAY_S, TRANSFORM_DELAY_S, ConfigProblem, config_path
from workbench.settings.keymaps import BINDING_IDS, BUILTIN_KEYMAPS, KeymapName

_KEY = re.compile(r"(?:(?:ctrl|alt|shift|super|meta|hyper)\+)*[^\s,+]+")


def _known_id(binding_id: str) -> str:
    if binding_id not in BINDING_IDS:
        close = difflib.get_close_matches(binding_id, BINDING_IDS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else " (the README lists the ids)"
        raise ValueError(f"unknown binding id {binding_id!r}{hint}")
    return binding_id


def _keys(keys: str) -> str:
    if not all(_KEY.fullmatch(key.strip()) for key in keys.split(",")):
        raise ValueError(f"{keys!r} is not a key or a comma-separated list of keys ('ctrl+r', 'f5,ctrl+l')")
    return keys


BindingId = Annotated[str, AfterValidator(_known_id)]
Keys = Annotated[str, AfterValidator(_keys)]


class KeymapConfig(BaseModel):
    """Which keys run what: a built-in keymap, then overrides of single bindings."""

    model_config = ConfigDict(extra="forbid")

    name: KeymapName = Field(default="default", description="the built-in keymap to start from")
    bindings: dict[BindingId, Keys] = Field(
        default_factory=dict,
        description="binding id -> keys in Textual's notation ('ctrl+r', 'f5'; several separated by commas)",
    )

    def resolved(self) -> dict[str, str]:
        """The keymap to apply: the built-in one with the overrides on top."""
        return {**BUILTIN_KEYMAPS[self.name], **self.bindings}


class PaneSizes(BaseModel):
    """Starting sizes of the side panes, in cells (unset: chosen from the terminal's size)."""

    model_config = ConfigDict(extra="forbid")

    tree: int | None = Field(default=None, ge=12, le=200, description="width of the workspace tree")
    problems: int | None = Field(default=None, ge=3, le=100, description="height of the problems list")
    debug: int | None = Field(default=None, ge=12, le=200, description="width of the run panel")


class UserConfig(BaseModel):
    """The user's settings for every workspace."""

    model_config = ConfigDict(extra="forbid", title="workbench user settings")

    theme: str | None = Field(default=None, description="the Textual theme (chosen in the command palette, saved here)")
    keymap: KeymapConfig = Field(default_factory=KeymapConfig)
    panes: PaneSizes = Field(default_factory=PaneSizes)
    lint_delay: float = Field(
        default=LINT_DELAY_S, ge=0, le=10, description="seconds of pause in typing before linting"
    )
    transform_delay: float = Field(
        default=TRANSFORM_DELAY_S,
        ge=0,
        le=10,
        description="seconds of pause in editing a transform before its attributes are recomputed",
    )


def load_config(path: Path | None = None) -> tuple[UserConfig, list[ConfigProblem]]:
    """The settings in ``path`` (default: :func:`config_path`), and the problems of the parts left at default.

    A missing file is no problem; one that is not JSON gives all the defaults and one problem.
    """
    path = path or config_path()
    if not path.exists():
        return UserConfig(), []
    try:
        data, text, _ = read_json(path)
    except JsonFileError as error:
        return UserConfig(), [ConfigProblem(path, error.location.line, error.location.column, error.message)]
    if not isinstance(data, dict):
        return UserConfig(), [ConfigProblem(path, 1, 1, f"expected a JSON object, found {type(data).__name__}")]
    problems: list[ConfigProblem] = []
    while True:
        try:
            return UserConfig.model_validate(data), problems
        except ValidationError as error:
            for detail in error.errors():
                loc = tuple(part for part in detail["loc"] if part != "[key]")  # a bad key: its entry
                where = locate(text, loc)
                message = detail["msg"].removeprefix("Value error, ")
                problems.append(ConfigProblem(path, where.line, where.column, f"{_key_path(loc)}: {message}"))
                if not _drop(data, loc):
                    return UserConfig(), problems


def _key_path(loc: tuple[str | int, ...]) -> str:
    """``keymap.bindings["debug.run"]``: where a value is, as the user would write it."""
    return "".join(
        f"[{json.dumps(part)}]" if isinstance(part, int) or "." in part else f".{part}" if index else part
        for index, part in enumerate(loc)
    )


def _drop(data: dict[str, Any], loc: tuple[str | int, ...]) -> bool:
    """Remove the deepest value on the path ``loc`` that exists, so that its default applies; whether one was."""
    container: dict[str, Any] | None = None
    last: str | int = ""
    node: Any = data
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            break
        container, last, node = node, part, node[part]
    if container is None:
        return False
    del container[last]  # type: ignore[arg-type]  # ``last`` is one of its keys
    return True


def config_schema() -> dict[str, Any]:
    """The JSON Schema of the settings file."""
    schema = UserConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
