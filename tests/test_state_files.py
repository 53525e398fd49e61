"""The app's state folder: the log appends dated sections, private to the user, and rolls over when large."""

from __future__ import annotations

import stat

from workbench.state_files import LOG_LIMIT_BYTES, append_log, log_path


def test_the_log_appends_sections_and_rolls_over() -> None:
    path = append_log("first", "one\n")
    assert path == log_path() and stat.S_IMODE(path.stat().st_mode) == 0o600
    append_log("second", "two")
    text = path.read_text(encoding="utf-8")
    assert text.index(": first\none\n") < text.index(": second\ntwo\n")
    path.write_bytes(b"x" * (LOG_LIMIT_BYTES + 1))
    append_log("third", "three")
    assert path.read_text(encoding="utf-8").endswith(": third\nthree\n\n")
    assert path.with_name("workbench.log.1").stat().st_size == LOG_LIMIT_BYTES + 1
