"""The user's settings file: where it is, what a broken one gives (located problems, defaults for the bad parts),
the theme saved without losing the user's other keys, and the built-in keymaps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.jsonfile import JsonFileError
from workbench.settings.config_file import config_path, read_theme, save_theme
from workbench.settings.keymaps import BINDING_IDS, BUILTIN_KEYMAPS
from workbench.settings.user_config import UserConfig, load_config


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_lives_in_the_xdg_config_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config_path() == tmp_path / "workbench" / "config.json"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")  # ignored, as the XDG rules say
    assert config_path() == Path.home() / ".config" / "workbench" / "config.json"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert config_path() == Path.home() / ".config" / "workbench" / "config.json"


def test_no_file_gives_the_defaults_without_a_problem(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.json") == (UserConfig(), [])


def test_a_valid_file_applies() -> None:
    path = write(
        config_path(),
        json.dumps(
            {
                "theme": "gruvbox",
                "keymap": {"name": "portable", "bindings": {"debug.step": "ctrl+l,f10"}},
                "panes": {"tree": 40},
                "lint_delay": 1.5,
            }
        ),
    )
    config, problems = load_config(path)
    assert problems == []
    assert config.theme == "gruvbox" and config.panes.tree == 40 and config.lint_delay == 1.5
    assert config.keymap.resolved() == {**BUILTIN_KEYMAPS["portable"], "debug.step": "ctrl+l,f10"}


def test_a_file_that_is_not_json_gives_the_defaults_and_its_place(tmp_path: Path) -> None:
    path = write(tmp_path / "config.json", '{\n  "theme": "nord",\n  "lint_delay": 0.5,,\n}\n')
    config, problems = load_config(path)
    assert config == UserConfig()
    assert [(problem.path, problem.line) for problem in problems] == [(path, 3)]


@pytest.mark.parametrize("text", ["[]", '"theme"', "3"])
def test_a_file_that_is_no_object_gives_the_defaults(tmp_path: Path, text: str) -> None:
    config, problems = load_config(write(tmp_path / "config.json", text))
    assert config == UserConfig() and len(problems) == 1 and "expected a JSON object" in problems[0].message


def test_each_bad_part_is_located_and_falls_back_to_its_default_alone(tmp_path: Path) -> None:
    text = """{
  "theme": 7,
  "keymap": {
    "name": "emacs",
    "bindings": {"debug.run": "ctrl+l", "debug.rnu": "f12", "debug.step": "ctrl+ oops"}
  },
  "panes": {"tree": 2, "debug": 50},
  "lint_delay": "soon",
  "transform_delay": 0.1,
  "colour": "blue"
}
"""
    path = write(tmp_path / "config.json", text)
    config, problems = load_config(path)
    assert config == UserConfig.model_validate(
        {"keymap": {"bindings": {"debug.run": "ctrl+l"}}, "panes": {"debug": 50}, "transform_delay": 0.1}
    )  # the good parts stay
    where = {problem.message.split(":")[0]: (problem.line, problem.column) for problem in problems}
    lines = text.splitlines()
    assert where == {
        "theme": (2, 3),
        "keymap.name": (4, 5),
        'keymap.bindings["debug.rnu"]': (5, lines[4].index('"debug.rnu"') + 1),
        'keymap.bindings["debug.step"]': (5, lines[4].index('"debug.step"') + 1),
        "panes.tree": (7, lines[6].index('"tree"') + 1),
        "lint_delay": (8, 3),
        "colour": (10, 3),
    }
    by_key = {problem.message.split(":")[0]: problem for problem in problems}
    assert "did you mean 'debug.run'?" in by_key['keymap.bindings["debug.rnu"]'].message
    assert "'default' or 'portable'" in by_key["keymap.name"].message
    assert all(str(problem).startswith(f"{path}:{problem.line}:{problem.column}: ") for problem in problems)


def test_the_theme_is_saved_keeping_the_other_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "workbench" / "config.json", '{"keymap": {"name": "portable"}, "zzz_mine": [1, 2]}')
    save_theme("nord", path)
    assert json.loads(path.read_text()) == {"keymap": {"name": "portable"}, "zzz_mine": [1, 2], "theme": "nord"}
    save_theme("gruvbox", path)
    assert load_config(path)[0].theme == "gruvbox"
    assert [entry.name for entry in path.parent.iterdir()] == ["config.json"]  # no temporary left behind


def test_saving_the_theme_creates_the_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "workbench" / "config.json"
    save_theme("nord", path)
    assert json.loads(path.read_text()) == {"theme": "nord"}


@pytest.mark.parametrize("text", ['{"theme": ', "[1]"])
def test_a_broken_file_is_not_overwritten_by_the_theme(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "config.json", text)
    with pytest.raises(JsonFileError):
        save_theme("nord", path)
    assert path.read_text() == text


def test_the_built_in_keymaps_name_known_bindings_only() -> None:
    assert set(BUILTIN_KEYMAPS) == {"default", "portable"}
    for keymap in BUILTIN_KEYMAPS.values():
        assert set(keymap) <= BINDING_IDS


def test_the_schema_documents_every_field() -> None:
    from workbench.settings.user_config import config_schema

    schema = config_schema()
    assert set(schema["properties"]) == set(UserConfig.model_fields)
    assert schema["$defs"]["KeymapConfig"]["properties"]["name"]["enum"] == list(BUILTIN_KEYMAPS)


def test_the_readme_example_is_a_valid_settings_file(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings and keymaps", 1)[1]
    example = section.split("```json\n", 1)[1].split("```", 1)[0]
    config, problems = load_config(write(tmp_path / "config.json", example))
    assert problems == [] and config.keymap.name == "portable"


@pytest.mark.parametrize(
    ("text", "theme"), [('{"theme": "nord"}', "nord"), ('{"theme": 3}', None), ("{", None), ('["nord"]', None)]
)
def test_the_theme_is_read_before_the_rest_without_failing(tmp_path: Path, text: str, theme: str | None) -> None:
    assert read_theme(write(tmp_path / "config.json", text)) == theme
    assert read_theme(tmp_path / "missing.json") is None
