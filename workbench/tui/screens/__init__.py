"""Modal screens of the app: help and small dialogs."""
