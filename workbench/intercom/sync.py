"""The workspace against Intercom: a status per connector with the fields that differ, a pull written as one
set, and a push that sends only the changed fields.

A connector file's ``intercom`` block remembers, per field, a digest of what was sent (``synced``) and of what
Intercom returned (``remote``) at the last pull or push: a field whose local value no longer matches
``synced`` changed here, a field whose remote value no longer matches ``remote`` changed in Intercom.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import orjson

from workbench.editing.writes import FileWrite, write_set
from workbench.importing.credentials import Secrets, scrub
from workbench.importing.errors import ConversionError
from workbench.importing.intercom import (
    MASK,
    TOKEN_ID_KEY,
    IntercomLink,
    Outgoing,
    digest,
    digests,
    fields_made_from,
    from_intercom,
    link_of,
    remote_fields,
    to_intercom,
    token_ids_of,
    token_names,
    with_link,
)
from workbench.intercom.client import IntercomClient
from workbench.jsonfile import dumps_pretty
from workbench.model import Connector, WorkspaceSettings
from workbench.store import SETTINGS_FILE, Document, Workspace, new_document, serialize, to_data

State = Literal["same", "changed here", "changed in Intercom", "conflict", "only here", "only in Intercom"]
_VALUE_CHARS = 70


@dataclass
class Entry:
    """One connector's standing: its local document and outgoing fields, its remote detail, what differs."""

    name: str
    state: State
    document: Document[Connector] | None = None
    outgoing: Outgoing | None = None
    remote_id: str | None = None
    detail: dict[str, Any] | None = None
    here: list[str] = field(default_factory=list)
    there: list[str] = field(default_factory=list)
    gone: str | None = None

    def line(self) -> str:
        """``name: state (fields)`` for the status listing."""
        parts = []
        if self.here:
            parts.append(f"here: {', '.join(self.here)}")
        if self.there:
            parts.append(f"in Intercom: {', '.join(self.there)}")
        if self.gone:
            parts.append(f"its Intercom connector {self.gone} is gone: a push creates it again")
        fields = f" ({'; '.join(parts)})" if parts else ""
        return f"{self.name}: {self.state}{fields}"


def compare(
    workspace: Workspace, client: IntercomClient, environment: str | None = None, only: list[str] | None = None
) -> list[Entry]:
    """Every connector, here and in Intercom (or only those named), with its state."""
    settings = workspace.settings.model
    summaries = {str(item.get("id")): item for item in client.connectors() if item.get("id") is not None}
    entries: list[Entry] = []
    links = {name: link_of(document.model) for name, document in workspace.connectors.items()}
    claimed = {str(link.id) for link in links.values() if link.id in summaries}  # before any match by name
    for name, document in sorted(workspace.connectors.items()):
        if not _wanted(name, only):
            continue
        link = links[name]
        outgoing = to_intercom(document.model, settings, environment)
        remote_id = link.id if link.id in summaries else _same_name(name, summaries, claimed)
        if remote_id is None:
            entries.append(Entry(name, "only here", document, outgoing, gone=link.id))
            continue
        claimed.add(remote_id)
        detail = client.connector(remote_id)
        entry = Entry(name, "same", document, outgoing, remote_id, detail)
        if link.id != remote_id:  # a file of the same name never pulled: everything differs until it is
            entry.here = entry.there = sorted(outgoing.fields)
        else:
            entry.here = changed_fields(outgoing.compared(), link.synced)
            entry.there = changed_fields(remote_fields(detail), link.remote)
        entry.state = _state(entry.here, entry.there)
        entries.append(entry)
    for remote_id, summary in summaries.items():
        if remote_id not in claimed:
            entries.append(Entry(str(summary.get("name") or remote_id), "only in Intercom", remote_id=remote_id))
    return [entry for entry in entries if _wanted(entry.name, only)]


def _wanted(name: str, only: list[str] | None) -> bool:
    return not only or name in only


def _same_name(name: str, summaries: dict[str, dict[str, Any]], claimed: set[str]) -> str | None:
    return next((key for key, item in summaries.items() if item.get("name") == name and key not in claimed), None)


def changed_fields(fields: dict[str, Any], recorded: dict[str, str]) -> list[str]:
    """The fields whose value no longer has the recorded digest (a field gone counts as changed)."""
    keys = set(fields) | set(recorded)
    return sorted(key for key in keys if (digest(fields[key]) if key in fields else None) != recorded.get(key))


def _state(here: list[str], there: list[str]) -> State:
    if here and there:
        return "conflict"
    return "changed here" if here else "changed in Intercom" if there else "same"


def synced_link(link: IntercomLink, outgoing: Outgoing, detail: dict[str, Any]) -> IntercomLink:
    """``link`` after a pull or push: the remote id and version, and the digests both sides agree on now."""
    return link.model_copy(
        update={
            "id": str(detail.get("id")),
            "updated_at": str(detail.get("updated_at") or ""),
            "state": detail.get("state") if detail.get("state") in ("draft", "live") else link.state,
            "synced": digests(outgoing.compared()),
            "remote": digests(remote_fields(detail)),
        }
    )


def field_diff(entry: Entry) -> list[str]:
    """``  field: in Intercom -> here`` for each field changed here (Intercom does not return a mock response)."""
    outgoing = entry.outgoing
    if outgoing is None:
        return []
    detail = entry.detail or {}
    lines = []
    for key in entry.here:
        before = _short(detail[key]) if key in detail else "(not returned by Intercom)"
        after = _short(outgoing.fields[key]) if key in outgoing.fields else "(not sent)"
        lines.append(f"  {key}: {before} -> {after}")
    return lines


def _short(value: Any) -> str:
    text = orjson.dumps(value).decode()
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 1] + "…"


@dataclass
class PullPlan:
    """The files a pull writes, one line per connector, and the notes naming what Intercom does not hold."""

    writes: list[FileWrite] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def plan_pull(workspace: Workspace, entries: list[Entry], client: IntercomClient, environment: str | None) -> PullPlan:
    """What a pull writes: connectors new or changed in Intercom, and files of the same name never pulled
    (adopted: Intercom's fields win, the local parts stay); a connector changed here is kept (push it), one
    changed on both sides is left (named). Unknown Intercom token ids become workbench.json tokens."""
    plan = PullPlan()
    settings = workspace.settings.model
    added_tokens: dict[str, dict[str, Any]] = {}
    names = token_names(settings)
    pulled: set[str] = set()
    for entry in entries:
        if entry.state in ("same", "only here"):
            continue
        never_pulled = entry.document is not None and link_of(entry.document.model).id is None
        if entry.state in ("changed here", "conflict") and not never_pulled:
            why = "changed here: push it" if entry.state == "changed here" else "changed on both sides: not pulled"
            plan.lines.append(f"  {entry.name}: kept ({why})")
            continue
        assert entry.remote_id is not None
        detail = entry.detail if entry.detail and "url" in entry.detail else client.connector(entry.remote_id)
        where = f"Intercom connector {entry.remote_id}"
        for token_id in token_ids_of(detail, where):
            if token_id not in names:
                name = f"intercom-{_slug(token_id)}"
                names[token_id] = name
                added_tokens[name] = {
                    "type": "text",
                    "value": f"{{{{secret.INTERCOM_TOKEN_{_slug(token_id).upper().replace('-', '_')}}}}}",
                    TOKEN_ID_KEY: token_id,
                }
        old = entry.document.model if entry.document is not None else None
        try:
            connector = from_intercom(detail, where, names)
        except ConversionError as error:
            plan.lines.append(f"  {entry.name}: not pulled: {error}")
            continue
        mine = entry.document.name if entry.document is not None else None
        if connector.name in pulled or (connector.name in workspace.connectors and connector.name != mine):
            plan.lines.append(f"  {entry.name}: not pulled: another connector has that name ({where})")
            continue
        pulled.add(connector.name)
        secrets = Secrets()  # Intercom masks header values, but a URL or body may hold a credential: never written
        connector = _with_local_parts(connector, old, settings, environment)
        scrubbed = scrub(connector, secrets)
        if scrubbed.model_dump(mode="json") != connector.model_dump(mode="json"):
            connector = scrubbed
        plan.notes.extend(
            f"{connector.name!r}: a credential became {{{{secret.{name}}}}} ({hint}): set it in .env"
            for name, hint in secrets.needed.items()
        )
        updated = _settings_with(settings, added_tokens)
        outgoing = to_intercom(connector, updated, environment)
        connector = with_link(connector, synced_link(link_of(connector), outgoing, detail))
        document = entry.document or new_document(workspace, "connector", connector)
        if any(write.path == document.path for write in plan.writes):
            document = Document(
                "connector", document.path.with_name(f"{document.path.stem}-{entry.remote_id}.json"), connector
            )
        verb = "new" if entry.document is None else "adopt" if never_pulled else "update"
        plan.writes.append(FileWrite(document.path, serialize(connector)))
        plan.lines.append(f"  {entry.name}: {verb} {document.path.relative_to(workspace.root)}")
        plan.notes.extend(_pull_notes(connector))
    if added_tokens:
        data = to_data(_settings_with(settings, added_tokens))
        plan.writes.append(FileWrite(workspace.root / SETTINGS_FILE, dumps_pretty(data)))
        for name, token in added_tokens.items():
            plan.notes.append(
                f"token {token[TOKEN_ID_KEY]!r} is not in workbench.json: added as {name!r}, reading {token['value']} "
                "(Intercom never returns token secrets)"
            )
    return plan


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "token"


def _settings_with(settings: WorkspaceSettings, tokens: dict[str, dict[str, Any]]) -> WorkspaceSettings:
    if not tokens:
        return settings
    data = to_data(settings)
    data["tokens"] = {**data.get("tokens", {}), **tokens}
    return WorkspaceSettings.model_validate(data)


def _with_local_parts(
    connector: Connector, old: Connector | None, settings: WorkspaceSettings, environment: str | None
) -> Connector:
    """The pulled connector with what Intercom does not hold taken from the local file it replaces: notes,
    transform, timeout, response mode and rules, input sources, header values Intercom masks, the example and
    declared fields when Intercom's fields are the ones its mock response gave; ``{{env.*}}`` put back in the
    URL."""
    data = connector.model_dump(mode="json", by_alias=True, exclude_unset=True)
    try:
        values = settings.environment(environment)
    except KeyError:
        values = {}
    url = data["request"]["url"]
    for name, value in sorted(values.items(), key=lambda item: -len(item[1])):
        if "://" in value and url.startswith(value):
            data["request"]["url"] = f"{{{{env.{name}}}}}{url[len(value) :]}"
            break
    if old is None:
        return Connector.model_validate(data)
    data["notes"] = old.notes
    data["transform"] = old.transform
    data["request"]["timeout_s"] = old.request.timeout_s
    headers = data["request"]["headers"]
    for key, value in headers.items():
        if value == MASK and key in old.request.headers:
            headers[key] = old.request.headers[key]
    sources = {item.name: item.source for item in old.inputs if item.source}
    for item in data["inputs"]:
        if item["name"] in sources:
            item["source"] = sources[item["name"]]
    response = data.setdefault("response", {})
    old_response = old.response.model_dump(mode="json", by_alias=True, exclude_unset=True)
    response["mode"] = old.response.mode
    response["rules"] = old_response.get("rules", [])
    old_body = old.response.example.body if old.response.example is not None else None
    new_body = (response.get("example") or {}).get("body")
    if old_body is not None and new_body is not None and _leaves(old_body) == _leaves(new_body):
        response["example"] = old_response["example"]  # Intercom holds the same values: keep what it cannot
        if response.get("fields", []) == fields_made_from(old_body):  # its fields are those the example made
            response["fields"] = old_response.get("fields", [])
            response["mappings"] = response.get("mappings") or old_response.get("mappings", [])
    return Connector.model_validate(data)


def _leaves(body: Any) -> dict[str, Any]:
    """The example's leaves as Intercom's fields show them (``path: example value``), to tell whether the
    fields Intercom returned came from the local example."""
    leaves: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict) and value:
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif prefix:
            leaves[prefix] = value if not isinstance(value, (dict, list)) else None

    walk("", body)
    return leaves


def _pull_notes(connector: Connector) -> list[str]:
    notes = [
        f"{connector.name!r}: header {name!r} is masked by Intercom ({MASK}): set its value here before the headers "
        "can be pushed"
        for name, value in connector.request.headers.items()
        if value == MASK
    ]
    if link_of(connector).read_only:
        keys = ", ".join(sorted(link_of(connector).read_only))
        notes.append(f"{connector.name!r}: kept as Intercom returned them, not pushable: {keys}")
    return notes


@dataclass
class PushResult:
    """What a push did: one line per connector, and the connector files whose link changed (written as a set)."""

    lines: list[str] = field(default_factory=list)
    writes: list[FileWrite] = field(default_factory=list)
    failed: bool = False


def push(
    entries: list[Entry],
    client: IntercomClient,
    result: PushResult,
    *,
    live: bool = False,
    force: bool = False,
    dry_run: bool = False,
) -> None:
    """Send every connector changed here into ``result``: only its changed fields (``PATCH``), a new one created
    (a draft unless ``live``); one changed in Intercom too is refused unless ``force``; nothing sent on
    ``dry_run``."""
    for entry in entries:
        outgoing, document = entry.outgoing, entry.document
        if outgoing is None or document is None or entry.state in ("same", "changed in Intercom", "only in Intercom"):
            continue
        result.lines.extend(outgoing.notes())
        if outgoing.refusals():
            result.lines.append(f"  {entry.name}: cannot be sent: {'; '.join(outgoing.refusals())}")
            result.failed = True
            continue
        if entry.state == "conflict" and not force:
            result.lines.append(
                f"  {entry.name}: refused: changed in Intercom since the pull ({', '.join(entry.there)}); pull, "
                "or push --force to overwrite"
            )
            result.failed = True
            continue
        if entry.state == "only here":
            state = "live" if live else "draft"
            result.lines.append(f"  {entry.name}: create ({state})")
            if not dry_run:
                _written(result, entry, _create(client, outgoing, live))
            continue
        sent = {key: outgoing.fields[key] for key in entry.here if key in outgoing.fields}
        result.lines.append(f"  {entry.name}: update {', '.join(sent) or 'nothing'}")
        result.lines.extend(field_diff(entry))
        unsent = [key for key in entry.here if key not in outgoing.fields]
        if unsent:
            result.lines.append(f"  {entry.name}: changed here but not sent (see above): {', '.join(unsent)}")
        if sent and not dry_run:
            assert entry.remote_id is not None
            _written(result, entry, client.update(entry.remote_id, sent))


def _create(client: IntercomClient, outgoing: Outgoing, live: bool) -> dict[str, Any]:
    detail = client.create(outgoing.create_body())
    outgoing.fields["state"] = "live" if live else "draft"
    if live:
        detail = client.update(str(detail.get("id")), {"state": "live"})
    return detail


def _written(result: PushResult, entry: Entry, detail: dict[str, Any]) -> None:
    assert entry.document is not None and entry.outgoing is not None
    connector = entry.document.model
    link = synced_link(link_of(connector), entry.outgoing, detail)
    result.writes.append(FileWrite(entry.document.path, serialize(with_link(connector, link))))


def run_push(
    entries: list[Entry],
    client: IntercomClient,
    root: Path,
    *,
    live: bool = False,
    force: bool = False,
    dry_run: bool = False,
) -> PushResult:
    """:func:`push`, then the links of what was sent written as one set, also when a later call failed."""
    result = PushResult()
    try:
        push(entries, client, result, live=live, force=force, dry_run=dry_run)
    finally:
        if result.writes:
            write_set(result.writes, root, "intercom push")
    return result
