"""Launch to first usable screen, in a real terminal (tmux), against a minimal Textual app in the same run.

"Usable" means the workspace tree lists the sample's items (the minimal app: its one line of text is drawn);
the app draws the names from a quick read of the files, then loads the models in a worker. A second figure
says when the models were loaded and linted too (the problems list has its verdict). Each launch starts a
fresh tmux session and polls the screen until the marker shows; the time includes Python's start, imports,
reading the workspace and the first frames. Aim: at most 1.5x the minimal app.

    python bench/tui_launch.py [--runs 7] [--workspace sample_data/support-desk]
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

ROOT = Path(__file__).resolve().parent.parent
MINIMAL_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("minimal app ready")
        yield Footer()

Minimal().run()
"""
SESSION = "wb-launch-bench"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def launch(command: str, marker: str, timeout: float = 20.0) -> float:
    """Seconds from starting ``command`` in a new tmux window until ``marker`` is on its screen."""
    tmux("kill-session", "-t", SESSION)
    start = time.perf_counter()
    tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "36", command)
    try:
        while time.perf_counter() - start < timeout:
            if marker in tmux("capture-pane", "-p", "-t", SESSION):
                return time.perf_counter() - start
            time.sleep(0.002)
        raise TimeoutError(f"{marker!r} did not show within {timeout} s")
    finally:
        tmux("kill-session", "-t", SESSION)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workspace", type=Path, default=ROOT / "sample_data" / "support-desk")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed for this benchmark")
    with tempfile.TemporaryDirectory() as folder:
        minimal = Path(folder) / "minimal.py"
        minimal.write_text(MINIMAL_APP)
        workspace = Path(shutil.copytree(args.workspace, Path(folder) / "workspace"))
        python = sys.executable
        cases = {
            "minimal Textual app": (f"{python} {minimal}", "minimal app ready"),
            "workbench": (f"{python} -m workbench {workspace}", "Procedures ("),
            "workbench, linted": (f"{python} -m workbench {workspace}", "Problems: "),
        }
        for command, marker in cases.values():  # warm the file cache once
            launch(command, marker)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, (command, marker) in cases.items():  # interleaved, so drifts hit both alike
                times[name].append(launch(command, marker))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(
            f"{name:<22}  median {medians[name] * 1000:6.0f} ms   min {min(values) * 1000:6.0f} ms   "
            f"max {max(values) * 1000:6.0f} ms   ({len(values)} runs)"
        )
    base = medians["minimal Textual app"]
    print(
        f"ratio workbench / minimal: {medians['workbench'] / base:.2f}x (aim: at most 1.5x); "
        f"loaded and linted: {medians['workbench, linted'] / base:.2f}x"
    )


if __name__ == "__main__":
    main()
