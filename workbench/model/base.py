"""Shared base for every model stored in a workspace file."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FileModel(BaseModel):
    """A model read from user files.

    Unknown keys are kept (``extra="allow"``) so that a load/save round trip never drops fields the tool
    does not know; they are written back after the known fields.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_assignment=True)
