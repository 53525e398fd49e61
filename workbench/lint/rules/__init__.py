"""The lint rules, one module each: those of the contract (SPEC 7b) in its order, then ``unreachable-step``,
then the rules of tokens, declared response fields, object mappings, dynamic-rule patterns, code steps and MCP
tools."""

from __future__ import annotations

from workbench.lint.context import Rule
from workbench.lint.rules import (
    array_child_attribute,
    attribute_before_call,
    code_error,
    code_step,
    connector_called_twice,
    large_response,
    mcp_tool,
    multiple_connectors_in_step,
    object_mapping,
    redundant_input_collection,
    response_field,
    rule_pattern,
    unchecked_index,
    unknown_reference,
    unknown_token,
    unreachable_step,
)

RULES: tuple[Rule, ...] = (
    unknown_reference.RULE,
    attribute_before_call.RULE,
    array_child_attribute.RULE,
    connector_called_twice.RULE,
    multiple_connectors_in_step.RULE,
    redundant_input_collection.RULE,
    large_response.RULE,
    unchecked_index.RULE,
    code_error.RULE,
    unreachable_step.RULE,
    unknown_token.RULE,
    response_field.RULE,
    object_mapping.RULE,
    rule_pattern.RULE,
    code_step.NAME,
    code_step.UNUSED,
    mcp_tool.RULE,
)
