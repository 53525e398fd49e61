"""How a simulation treats each connector: ``mock``, ``live`` or ``block`` (``simulation.connectors``), with
every connector of kind ``action`` mocked unless the simulation says ``live``: a simulation left alone never
changes data, even when its reads go live."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from workbench.engine import RunOptions
from workbench.model import Connector, Scenario
from workbench.model.scenario import ConnectorMode


def connector_modes(connectors: Mapping[str, Connector], scenario: Scenario) -> dict[str, tuple[ConnectorMode, bool]]:
    """The connectors a simulation of ``scenario`` mocks, calls live or blocks by name, each with whether that
    is the default (an action not named); connectors not listed run as the scenario says."""
    said = scenario.simulation.connectors if scenario.simulation else {}
    modes: dict[str, tuple[ConnectorMode, bool]] = {name: (mode, False) for name, mode in said.items()}
    for name, connector in connectors.items():
        if connector.kind == "action" and name not in said:
            modes[name] = ("mock", True)
    return modes


def apply_modes(
    options: RunOptions,
    connectors: Mapping[str, Connector],
    scenario: Scenario,
    live_secrets: Mapping[str, str] | None = None,
) -> RunOptions:
    """``options`` with the simulation's connector modes laid over them: a mocked connector answers from its
    dynamic rules or example, a live one from the network with ``live_secrets`` (default: the environment over
    the workspace's ``.env``; the scenario's own ``mocks`` still win), a blocked one fails the run."""
    modes = dict(options.modes)
    mocks = dict(options.mocks)
    blocked = set(options.blocked)
    live = False
    for name, (mode, _) in connector_modes(connectors, scenario).items():
        connector = connectors.get(name)
        if mode == "block":
            blocked.add(name)
        elif mode == "live":
            modes[name] = "live"
            live = True
            if name not in scenario.mocks:
                mocks.pop(name, None)
        elif connector is not None:
            own = connector.response.mode
            modes[name] = own if own != "live" else "dynamic" if connector.response.rules else "example"
    secrets = live_secrets if live and options.mode != "live" else options.secrets
    return replace(options, modes=modes, mocks=mocks, blocked=frozenset(blocked), secrets=secrets)


def describe_modes(modes: Mapping[str, tuple[ConnectorMode, bool]]) -> str:
    """What a simulation does with connectors, for the start of its output ("" when it changes nothing)."""
    words = {"mock": "mocked", "live": "live", "block": "blocked"}
    parts = []
    for mode in ("mock", "live", "block"):
        names = [f"{name}{' (action)' if default else ''}" for name, (said, default) in modes.items() if said == mode]
        if names:
            parts.append(f"{words[mode]}: {', '.join(sorted(names))}")
    return "; ".join(parts)
