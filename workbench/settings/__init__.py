"""The user's settings: where the file is (:mod:`.config_file`), what it may say (:mod:`.user_config`), the
binding ids and built-in keymaps (:mod:`.keymaps`) and the keys in effect that hints name (:mod:`.key_hints`).

Nothing here imports Textual: the app applies the settings, the CLI validates and describes them.
"""
