"""Connectors from the real world, and back: curl lines, OpenAPI documents, Postman collections, HAR
captures and Intercom data connectors.

Every importer returns an :class:`Imported` (connectors, the secrets they need, notes); :func:`plan_import`
places it in a workspace for a preview and :func:`write_plan` writes all its files or none. Secret values
never reach a file: they become ``{{secret.NAME}}`` templates. Every problem is a :class:`ConversionError`
saying where.
"""

from workbench.importing.curl import export_curl, import_curl, parse_curl
from workbench.importing.drift import Drift, check_drift
from workbench.importing.errors import ConversionError
from workbench.importing.fields import response_fields
from workbench.importing.formats import FORMATS, import_from, load_spec
from workbench.importing.har import import_har
from workbench.importing.intercom import export_intercom, import_intercom
from workbench.importing.openapi import Spec, import_openapi
from workbench.importing.plan import Imported, Plan, PlannedFile, plan_import, write_plan
from workbench.importing.postman import import_postman
from workbench.importing.request import InputMark
from workbench.importing.sources import read_source

__all__ = [
    "FORMATS",
    "ConversionError",
    "Drift",
    "Imported",
    "InputMark",
    "Plan",
    "PlannedFile",
    "Spec",
    "check_drift",
    "export_curl",
    "export_intercom",
    "import_curl",
    "import_from",
    "import_har",
    "import_intercom",
    "import_openapi",
    "import_postman",
    "load_spec",
    "parse_curl",
    "plan_import",
    "read_source",
    "response_fields",
    "write_plan",
]
