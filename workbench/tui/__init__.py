"""The Textual app: authoring (and later debugging) procedures and connectors of a workspace."""
