"""Pydantic models of the workspace files."""

from workbench.model.connector import (
    Connector,
    ConnectorInput,
    DynamicRule,
    MockResponse,
    Request,
    ResponseConfig,
    RuleMatch,
)
from workbench.model.procedure import (
    BUILTIN_NAMESPACES,
    AnyStep,
    AttributeWhen,
    Branch,
    CodeWhen,
    CollectStep,
    ConditionStep,
    DescribeWhen,
    EndStep,
    InstructionStep,
    Procedure,
    Step,
    SubprocedureStep,
    child_lists,
    walk_steps,
)
from workbench.model.scenario import Expectations, Scenario
from workbench.model.workspace import Limits, WorkspaceSettings

__all__ = [
    "BUILTIN_NAMESPACES",
    "AnyStep",
    "AttributeWhen",
    "Branch",
    "CodeWhen",
    "CollectStep",
    "ConditionStep",
    "Connector",
    "ConnectorInput",
    "DescribeWhen",
    "DynamicRule",
    "EndStep",
    "Expectations",
    "InstructionStep",
    "Limits",
    "MockResponse",
    "Procedure",
    "Request",
    "ResponseConfig",
    "RuleMatch",
    "Scenario",
    "Step",
    "SubprocedureStep",
    "WorkspaceSettings",
    "child_lists",
    "walk_steps",
]
