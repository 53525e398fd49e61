"""The attribute paths a code step's code reads, with the place of the key naming each root."""

from __future__ import annotations

from workbench.code_reads import CodeRead, code_reads


def test_reads_are_the_longest_constant_chains_under_inputs() -> None:
    code = (
        "order = inputs['temporary']['Get order']\n"
        "first = inputs['temporary']['Get order']['items'][0]['name']\n"
        "email = inputs['user']['email']\n"
        "other = inputs['temporary'][key]['x']\n"
        "return {'e': email, 'o': order, 'f': first, 'x': other, 'c': inputs['conversation']}"
    )
    assert code_reads(code) == [
        CodeRead("Get order", 1, 28),
        CodeRead("Get order > items", 2, 28),
        CodeRead("User > email", 3, 15),
    ]


def test_code_that_does_not_parse_reads_nothing() -> None:
    assert code_reads("return {") == []
