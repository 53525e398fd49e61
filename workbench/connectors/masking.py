"""The one masker of a run, built from every secret source.

A run (a procedure run, a scenario, a simulation, a test request from the app, a recording being saved) masks
with one :class:`~workbench.connectors.secrets.Masker` made here: it knows the value of every
``{{secret.NAME}}`` the workspace names (connectors, tokens, MCP servers and ``agent.api_key``), wherever its value comes
from (``--env-file``, the environment, the workspace's ``.env``), and, as the run goes, the token values and
secrets of the requests it sends. (Other variables of the environment or a ``.env`` are not the workspace's
secrets: masking them would garble ordinary text such as a port number.) Events, logs, errors, JUnit, recordings, prompts and the screen all mask with it. No other
module makes a ``Masker`` (a rule test keeps it so).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from workbench import jsoncodec
from workbench.connectors.secrets import MIN_SECRET_CHARS, Masker
from workbench.connectors.templates import TEMPLATE
from workbench.model import Connector, WorkspaceSettings
from workbench.store import to_data


def secret_names(connectors: Mapping[str, Connector], settings: WorkspaceSettings) -> list[str]:
    """The ``{{secret.NAME}}`` names the connectors, the tokens, the MCP servers and ``agent.api_key`` use, sorted."""
    data: list[Any] = [to_data(connector.request) for connector in connectors.values()]
    data += [to_data(token) for token in settings.tokens.values()]
    data += [to_data(server) for server in settings.mcp_servers.values()]
    if settings.agent is not None and settings.agent.api_key:
        data.append(settings.agent.api_key)
    text = jsoncodec.dumps(data).decode()
    return sorted({match[len("secret.") :] for match in TEMPLATE.findall(text) if match.startswith("secret.")})


def secret_values(secrets: Mapping[str, str], names: Iterable[str]) -> list[str]:
    """The value of each named secret that is set."""
    return [secrets[name] for name in names if secrets.get(name)]


def run_masker(
    connectors: Mapping[str, Connector],
    settings: WorkspaceSettings,
    secrets: Mapping[str, str],
    *,
    also: Iterable[str] = (),
) -> Masker:
    """A new masker knowing every secret of the workspace (see the module docstring) and ``also``."""
    masker = Masker()
    masker.add(secret_values(secrets, secret_names(connectors, settings)))
    masker.add(also)
    return masker


def masker_of(values: Iterable[str] = ()) -> Masker:
    """A masker of just these values (a single request's secrets; nothing yet, until a run's is given)."""
    masker = Masker()
    masker.add(values)
    return masker


def short_secrets(
    connectors: Mapping[str, Connector], settings: WorkspaceSettings, secrets: Mapping[str, str]
) -> list[str]:
    """The names of the secrets too short to be masked in text (shorter than ``MIN_SECRET_CHARS``)."""
    return [name for name in secret_names(connectors, settings) if 0 < len(secrets.get(name) or "") < MIN_SECRET_CHARS]
