"""Class 3 on the command line: a terminal escape (``ESC ] 0 ; … BEL`` sets the window title, ``ESC [ 2 J``
clears the screen, C1 ``CSI``) that comes from a file, a server or a model is printed visibly (``\\x1b``) by every
command — never sent to the terminal raw."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from pathlib import Path

import httpx
import orjson
import pytest

from tests.agent.chat_server import ChatServer, text
from tests.agent.desk import stateless_roles
from tests.cli.test_simulate_cli import configure, desk_with_scenario, workbench
from tests.conftest import interruptible
from tests.connectors.server import LoopbackServer, json_reply
from tests.hostile.kit import calling, cli, echo_workspace, write_workspace
from tests.scenarios.test_pytest_plugin import pytest_in

OSC = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J\x1b[31m"
C1 = "\x9b2J"
HOSTILE = OSC + CLEAR + C1
SHOWN = "\\x1b]0;pwned"  # (rich drops the BEL of text it is given: harmless)


def shown_not_obeyed(output: str) -> None:
    """The output shows the title escape and holds no control character but line ends."""
    assert SHOWN in output, output
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", output), output


def _mock_connector(name: str, **response: object) -> dict[str, object]:
    return {"name": name, "request": {"url": "http://127.0.0.1:9/x"}, "response": {"example": {"body": 1}, **response}}


async def test_run_prints_a_live_value_visibly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOSTILE_TOKEN", "t0ken")
    async with LoopbackServer({"/echo": json_reply({"echo": HOSTILE})}) as server:
        root = echo_workspace(tmp_path, server.url("/echo"))
        said = await asyncio.to_thread(cli, capsys, "run", root, "P")
        as_json = await asyncio.to_thread(cli, capsys, "run", root, "P", "--json")
    shown_not_obeyed(said.out)
    assert "Echo says \\x1b]0;pwned" in said.out
    assert not re.search("[\x80-\x9f]", as_json.out)  # JSON lines: C1 written \u009b, the same JSON string
    messages = [event["text"] for event in as_json.events() if event["type"] == "message"]
    assert any(HOSTILE in message for message in messages)


def test_lint_prints_a_bad_files_name_and_a_connectors_name_visibly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_workspace(
        tmp_path,
        connectors=[_mock_connector(f"Get {OSC}x", mode="dynamic")],  # dynamic without rules: a finding
        procedures=[calling(f"Get {OSC}x")],
    )
    (root / "connectors" / f"bad{OSC}.json").write_text("{")
    outcome = cli(capsys, "lint", root)
    shown_not_obeyed(outcome.out)
    assert f"bad{SHOWN}.json" in outcome.out


def test_test_prints_scenario_names_and_explanations_visibly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = {"name": f"Fails {OSC}", "procedure": "P", "expect": {"outcome": "handoff"}}
    root = write_workspace(tmp_path, connectors=[_mock_connector("C")], procedures=[calling("C")], scenarios=[scenario])
    outcome = cli(capsys, "test", root)
    assert outcome.code == 1
    shown_not_obeyed(outcome.out)


def test_an_import_preview_and_an_error_print_content_visibly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_workspace(tmp_path, connectors=[_mock_connector("C")], procedures=[calling("C")])
    preview = cli(capsys, "import", "curl", root, f"curl 'https://api.example.com/orders/{OSC}'", "--dry-run")
    shown_not_obeyed(preview.out + preview.err)
    missing = cli(capsys, "run", root, "P", "--env-file", str(tmp_path / f"no{OSC}.env"))
    assert missing.code == 2
    shown_not_obeyed(missing.err)


async def test_mock_serve_lists_routes_and_logs_requests_visibly(tmp_path: Path) -> None:
    connector = {
        "name": f"Orders {OSC}",
        "request": {"method": "GET", "url": "https://shop.example.com/orders"},
        "response": {"example": {"body": {"id": 1}}},
    }
    root = write_workspace(tmp_path, connectors=[connector])
    env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "NO_COLOR")}
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "workbench", "mock", "serve", str(root), "--port", "0",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, preexec_fn=interruptible,
    )  # fmt: skip
    assert child.stdout is not None
    async with asyncio.timeout(60):
        url = None
        while url is None:
            line = (await child.stdout.readline()).decode()
            assert line, "the server ended before serving"
            found = re.search(r"on (http://127\.0\.0\.1:\d+) ", line)
            url = found.group(1) if found else None
    async with httpx.AsyncClient(base_url=url) as client:
        assert (await client.get("/orders")).json() == {"id": 1}
    child.send_signal(signal.SIGINT)
    async with asyncio.timeout(30):
        out, _ = await child.communicate()
    listing = line + out.decode()
    assert f"-> Orders {SHOWN}" in listing  # the route list
    assert f"GET    /orders  Orders {SHOWN}\\x07 [example]  200" in listing  # the request log
    shown_not_obeyed(listing)


async def test_simulate_verbose_prints_the_models_words_visibly(tmp_path: Path) -> None:
    root = desk_with_scenario(tmp_path / "desk")
    roles = stateless_roles()
    roles.scripts["message"] = [text(f"Model {HOSTILE} says")]
    async with ChatServer(roles) as server:
        configure(root, server)
        code, out, err = await workbench("simulate", root, "--scenario", "scenarios/where.json", "-v")
    assert code in (0, 1), err
    shown_not_obeyed(out)
    assert f"Model {SHOWN}" in out


def test_the_printer_keeps_json_equal(capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import output

    data = {"text": HOSTILE + "\x7f é"}
    output.write_json(orjson.dumps(data))
    printed = capsys.readouterr().out
    assert json.loads(printed) == data
    assert not re.search("[\x00-\x1f\x80-\x9f]", printed)


def test_pytest_prints_a_scenarios_name_and_failure_visibly(tmp_path: Path) -> None:
    scenario = {"name": f"Fails {OSC}", "procedure": "P", "expect": {"outcome": "handoff"}}
    write_workspace(tmp_path / "w", connectors=[_mock_connector("C")], procedures=[calling("C")], scenarios=[scenario])
    result = pytest_in(tmp_path, "w", "-v")
    assert result.returncode == 1
    shown_not_obeyed(result.stdout)
