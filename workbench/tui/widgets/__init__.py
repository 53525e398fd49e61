"""The panes and fields of the app, one a module."""
