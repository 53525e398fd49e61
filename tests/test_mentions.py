"""Parsing, rendering and suggesting ``@call(...)`` / ``@read(...)`` mentions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import tricky_text
from workbench import mentions
from workbench.mentions import Mention, MentionKind, format_mention, normalize_path, parse, render, suggest


def test_mentions_with_kinds_names_and_positions() -> None:
    text = "Call @call(Get orders) then say @read(Get orders > status)."
    parsed = parse(text)
    assert parsed.mentions == (
        Mention("call", "Get orders", 5, 22),
        Mention("read", "Get orders > status", 32, 58),
    )
    assert [text[m.start : m.end] for m in parsed.mentions] == ["@call(Get orders)", "@read(Get orders > status)"]
    assert parsed.calls() == [parsed.mentions[0]] and parsed.reads() == [parsed.mentions[1]]
    assert parsed.errors == ()


def test_emails_and_a_lone_at_sign_are_text() -> None:
    for text in ["Write to ada@example.com or call @ the desk", "support@read(x)", "a.@call(X)", "@@call(X)", "@callx"]:
        assert parse(text).mentions == () and parse(text).errors == ()


def test_paths_are_normalized() -> None:
    [mention] = parse("@read(  Get   orders>status )").mentions
    assert mention.name == "Get orders > status"
    assert mention.segments == ("Get orders", "status")
    assert mention.token == "@read(Get orders > status)"


def test_malformed_mentions_are_reported_with_their_position() -> None:
    text = "a @call(Get orders\nb @read() c @read(A > ) d @call(A > b) e @call(x(y))"
    parsed = parse(text)
    assert [(error.start, error.message) for error in parsed.errors] == [
        (text.index("@call(Get"), "@call( is not closed with ')'"),
        (text.index("@read()"), "@read() names nothing"),
        (text.index("@read(A"), "@read() names nothing"),
        (text.index("@call(A"), "@call takes a connector name, not a path"),
        (text.index("@call(x"), "@call( is not closed with ')'"),
    ]
    assert parsed.mentions == ()


def test_render_replaces_only_well_formed_mentions() -> None:
    text = "Status: @read(Get orders > status), mail ada@example.com, broken @read("
    assert render(text, lambda mention: mention.name.upper()) == (
        "Status: GET ORDERS > STATUS, mail ada@example.com, broken @read("
    )


def test_suggestions() -> None:
    names = ["Get orders", "Get subscription", "Issue refund"]
    assert suggest("Get ordres", names) == "Get orders"
    assert suggest("get ORDERS", names) == "Get orders"
    assert suggest("Weather forecast", names) is None
    assert suggest("anything", []) is None


_SEGMENT = tricky_text(exclude="()>\n\r\t\x00\x1f\x7f", min_size=1, max_size=12).filter(lambda segment: segment.strip())


@given(
    kind=st.sampled_from(["call", "read"]),
    segments=st.lists(_SEGMENT, min_size=1, max_size=3),
    prefix=tricky_text(exclude="@", max_size=20),
    suffix=tricky_text(max_size=20),
)
def test_a_rendered_token_parses_back_to_itself(
    kind: MentionKind, segments: list[str], prefix: str, suffix: str
) -> None:
    if kind == "call":
        segments = segments[:1]
    name = " > ".join(segments)
    token = format_mention(kind, name)
    text = f"{prefix} {token}{suffix}"
    mention = parse(text).mentions[0]
    assert (mention.kind, mention.name, mention.start, mention.end) == (
        kind,
        normalize_path(name),
        len(prefix) + 1,
        len(prefix) + 1 + len(token),
    )
    assert mention.token == token
    assert parse(mention.token).mentions[0].name == mention.name


@given(st.lists(_SEGMENT, min_size=1, max_size=4))
def test_normalizing_is_idempotent(segments: list[str]) -> None:
    once = normalize_path(" > ".join(segments))
    assert normalize_path(once) == once
    assert mentions.split_path(once) == tuple(" ".join(segment.split()) for segment in segments)
