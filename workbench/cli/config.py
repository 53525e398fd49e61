"""``workbench --print-config``: the effective user settings, as JSON, with the problems of the file on stderr."""

from __future__ import annotations

from workbench.cli import output
from workbench.jsonfile import dumps_pretty
from workbench.settings.config_file import config_path
from workbench.settings.user_config import load_config


def print_config() -> int:
    """Print the settings in effect (defaults filled in); 1 when parts of the file were left out as invalid."""
    path = config_path()
    config, problems = load_config(path)
    for problem in problems:
        output.say(f"workbench: {problem} (the default applies)", err=True)
    output.write_json(dumps_pretty(config.model_dump(mode="json")))
    if not path.exists():
        output.say(f"workbench: no {path}: these are the defaults", err=True)
    return 1 if problems else 0
