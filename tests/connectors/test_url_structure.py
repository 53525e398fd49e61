"""Template values are data: an input value, whatever it holds (``{{`` too), never changes a URL's structure."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from workbench.connectors import ConnectorError, TemplateScope
from workbench.connectors.urls import render_url

HOSTILE = ["{{", "}}", "{{a}}", "{{b}}", "{{env.base}}", "%", "%2F", "/", "@", ":", "?", "#", "&", ".", "..", " ", "\t"]
HOSTILE += ["\n", "é", "Ｇ", "\u202e", "0", "8443", "evil.example", "\\"]
VALUES = st.one_of(
    st.text(max_size=16),
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=5).map("".join),
)
TEMPLATES = [
    "https://{{a}}.shop.example.com/orders/{{b}}",
    "https://shop.example.com:8443/customers/{{a}}/orders/{{b}}",
    "https://shop.example.com/c/{{a}}{{b}}/x",
    "https://shop.example.com/c/pre-{{a}}-post?q={{b}}&r=1",
    "http://127.0.0.1:46589/{{a}}/{{b}}#frag",
    "{{env.base}}/v1/{{a}}?{{b}}",
]
HARMLESS = "x"


def scope(a: str, b: str) -> TemplateScope:
    return TemplateScope("Call", {"a": a, "b": b}, ["a", "b"], {"base": "https://api.example.com:444"}, "e", {})


def structure(url: str) -> tuple[str, str, int | None, int]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts.scheme, host, parts.port, parts.path.count("/")


@settings(max_examples=400)
@given(template=st.sampled_from(TEMPLATES), a=VALUES, b=VALUES)
@example(template=TEMPLATES[0], a="evil.example:8443/steal?x={{", b="1")
@example(template=TEMPLATES[2], a="{{", b="b}}")
@example(template=TEMPLATES[1], a="{{b}}", b="..")
def test_values_never_change_scheme_host_port_or_segments(template: str, a: str, b: str) -> None:
    expected = structure(render_url(template, scope(HARMLESS, HARMLESS)))
    try:
        url = render_url(template, scope(a, b))
    except ConnectorError as error:
        assert error.reason == "request_configuration" and "input" in error.message
        return
    scheme, host, port, segments = structure(url)
    if template.startswith("https://{{a}}."):
        assert re.fullmatch(r"[a-z0-9-]+", a.lower()) and host == f"{a.lower()}.shop.example.com"
    else:
        assert host == expected[1]
    assert (scheme, port, segments) == (expected[0], expected[2], expected[3])
    if template == TEMPLATES[1]:  # each value comes back whole, as data, from its own segment
        assert [unquote(piece) for piece in urlsplit(url).path.split("/")[2::2]] == [a, b]


def test_a_value_is_never_expanded_as_a_template() -> None:
    url = render_url("https://shop.example.com/c/{{a}}", scope("{{b}}", "secret-ish"))
    assert url == "https://shop.example.com/c/%7B%7Bb%7D%7D"


def test_the_reported_host_change_is_refused() -> None:
    with pytest.raises(ConnectorError) as caught:
        render_url("https://{{a}}.shop.example.com/orders", scope("evil.example:8443/steal?x={{", ""))
    assert caught.value.reason == "request_configuration" and "input 'a'" in caught.value.message


@pytest.mark.parametrize("value", ["0", "", "1", "x"])
def test_an_input_after_the_port_is_a_clear_error(value: str) -> None:
    with pytest.raises(ConnectorError) as caught:
        render_url("http://127.0.0.1:46589{{a}}/orders", scope(value, ""))
    assert caught.value.reason == "request_configuration" and "port" in caught.value.message


def test_a_port_out_of_range_is_a_clear_error_in_live_calls() -> None:
    live = TemplateScope("Call", {}, (), {"base": "http://127.0.0.1:465890"}, "e", {})
    with pytest.raises(ConnectorError) as caught:
        render_url("{{env.base}}/orders", live)
    assert caught.value.reason == "request_configuration" and "Port out of range" in caught.value.message


def test_lenient_scopes_leave_unknown_names_as_written_and_still_encode_values() -> None:
    lenient = TemplateScope("Call", {"a": "{{b}}/.."}, ["a"], {}, None, None, strict=False)
    assert render_url("{{env.base}}/c/{{a}}/{{other}}", lenient) == "{{env.base}}/c/%7B%7Bb%7D%7D%2F../{{other}}"
