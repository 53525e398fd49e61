"""What the monkey found, each as the shrunk walk it printed (a plain regression test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.monkey import Paste, Press, replay

pytestmark = pytest.mark.monkey


async def test_monkey_seed_10014_a_new_item_named_by_a_6_kb_paste(tmp_path: Path) -> None:
    # seed 10014: exception: OSError: [Errno #] File name too long: # (it pasted PASTES[4], whose "[/]" also
    # broke the name's drawing then: markup, fixed on its own; this text is as long, without brackets)
    actions = [
        Press(keys=("ctrl+n",)),
        Paste("pasted text " * 500),
        Press(keys=("enter",)),
        Press(keys=("ctrl+s",)),
    ]
    await replay(tmp_path, "sample", actions, size=(160, 48))
