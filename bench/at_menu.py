"""``@``-menu latency with 10,000 attributes available: key press to updated list on screen, in tmux.

A generated workspace has one connector whose example holds 10,000 attributes, called in a procedure's
first step; the second step's text is edited. Each sample sends one key with ``tmux send-keys`` and polls
the screen until the result is drawn:

- floor: typing plain text (no menu open), until the typed text shows;
- menu: typing into the "Read an attribute" list's query (and erasing it), until the menu's header shows
  the new query (the header and the ranked rows are drawn by the same widget in the same frame).

Both include tmux's and the polling's overhead alike. Aim: the menu's p90 within 2x the floor's.

    python bench/at_menu.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

SESSION = "wb-menu-bench"
GROUPS, FIELDS = 100, 100
QUERIES = [
    "f",
    "fi",
    "fie",
    "fiel",
    "field",
    "field0",
    "field04",
    "field042",
    "field04",
    "field0",
    "field",
    "fiel",
    "fie",
    "fi",
    "f",
    "fg",
    "fgr",
    "fgr3",
    "fgr37",
]
PLAIN = "abcdefghijklmnopqrs"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION)


def wait_for(marker: str, timeout: float = 15.0) -> None:
    start = time.perf_counter()
    while marker not in screen():
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"{marker!r} did not show:\n{screen()}")
        time.sleep(0.01)


def timed_key(key: str, marker: str, timeout: float = 5.0) -> float:
    """Seconds from sending ``key`` until ``marker`` is on the screen."""
    start = time.perf_counter()
    tmux("send-keys", "-t", SESSION, key)
    while marker not in screen():
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"{marker!r} did not show after {key!r}:\n{screen()}")
    return time.perf_counter() - start


def keys(*names: str) -> None:
    for name in names:
        tmux("send-keys", "-t", SESSION, name)
        time.sleep(0.05)


def make_workspace(root: Path) -> None:
    body = {f"group{g:02d}": {f"field{i:03d}": f"value {g}-{i}" for i in range(FIELDS)} for g in range(GROUPS)}
    connector = {
        "name": "Big catalog",
        "kind": "read",
        "request": {"method": "GET", "url": "{{env.base_url}}/catalog"},
        "response": {"mode": "example", "example": {"status": 200, "body": body}},
    }
    procedure = {
        "name": "Browse",
        "steps": [
            {"id": "load", "type": "instruction", "text": "Load it with @call(Big catalog)."},
            {"id": "answer", "type": "instruction", "text": "Answer"},
        ],
    }
    (root / "connectors").mkdir(parents=True)
    (root / "procedures").mkdir()
    (root / "workbench.json").write_bytes(orjson.dumps({"name": "Menu bench"}))
    (root / "connectors" / "big-catalog.json").write_bytes(orjson.dumps(connector, option=orjson.OPT_INDENT_2))
    (root / "procedures" / "browse.json").write_bytes(orjson.dumps(procedure, option=orjson.OPT_INDENT_2))


def transitions(previous: str, query: str) -> str:
    """The key that turns ``previous`` into ``query`` (one character more, or one less)."""
    if query.startswith(previous) and len(query) == len(previous) + 1:
        return query[-1]
    if previous.startswith(query) and len(query) == len(previous) - 1:
        return "BSpace"
    raise ValueError(f"{previous!r} -> {query!r} is not one key")


def measure(rounds: int) -> tuple[list[float], list[float]]:
    floor: list[float] = []
    menu: list[float] = []
    for _ in range(rounds):
        for index in range(len(PLAIN)):
            floor.append(timed_key(PLAIN[index], "Answer" + PLAIN[: index + 1]))
        keys(*["BSpace"] * len(PLAIN))
        wait_for("Answer ")
        keys(" ", "@")
        wait_for("Insert · 2 matches")
        keys("Down", "Enter")
        wait_for("Read an attribute · 10,0")
        previous = ""
        for query in QUERIES:
            menu.append(timed_key(transitions(previous, query), f"“{query}”"))
            previous = query
        keys("Escape")
        time.sleep(0.3)  # a key right after Escape would read as Alt+key
        keys(*["BSpace"] * (len(previous) + 2))
        wait_for("Answer ")
    return floor, menu


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed for this benchmark")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "menu-bench"
        make_workspace(root)
        tmux("kill-session", "-t", SESSION)
        tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", f"{sys.executable} -m workbench {root}")
        try:
            wait_for("Problems: ")
            keys("Down", "Down", "Down", "Enter")
            wait_for("Procedure: Browse")
            keys("Down", "Enter")
            wait_for("Step id")
            time.sleep(0.5)  # the text area takes the focus
            keys("End")
            time.sleep(0.5)
            floor, menu = measure(args.rounds)
        finally:
            tmux("kill-session", "-t", SESSION)
    for name, values in (("floor (no completion)", floor), ("@ menu, 10,000 attributes", menu)):
        print(
            f"{name:<26} median {statistics.median(values) * 1000:6.1f} ms   p90 {p90(values) * 1000:6.1f} ms   "
            f"({len(values)} key presses)"
        )
    print(
        f"p90 ratio menu / floor: {p90(menu) / p90(floor):.2f}x (aim: at most 2x); "
        f"median ratio: {statistics.median(menu) / statistics.median(floor):.2f}x"
    )


if __name__ == "__main__":
    main()
