"""The headless editing core: documents open for edit, operations on them with their inverses and undo history,
rename refactoring, completion data, live test requests and recording. The TUI draws and dispatches; the
rules of editing live here, with tests that need no Textual."""
