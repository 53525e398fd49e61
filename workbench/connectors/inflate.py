"""Bounded decompression of a streamed body (``gzip``/``deflate``): output stops one byte past the cap, so a
compressed bomb never inflates into memory. httpx's own decoders inflate each network chunk whole (a 64 KiB
chunk of a bomb becomes ~64 MiB), which is why live calls read raw bytes and decode here."""

from __future__ import annotations

import zlib

from workbench.connectors.errors import ConnectorError

ACCEPT_ENCODING = "gzip, deflate"
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class Inflater:
    """Decodes one ``Content-Encoding`` chunk by chunk, never producing more than asked for."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding.strip().lower() or "identity"
        if self.encoding not in ("identity", *_WBITS):
            raise ConnectorError(
                "response_mapping", f"unsupported content-encoding {encoding!r} (supported: {ACCEPT_ENCODING})"
            )
        self._decoder = zlib.decompressobj(_WBITS[self.encoding]) if self.encoding in _WBITS else None
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """The decoded bytes of ``data``: all of them, or ``room + 1`` when they would not fit in ``room``."""
        if self._decoder is None:
            return data[: room + 1]
        try:
            output = self._decoder.decompress(data, room + 1)
        except zlib.error as error:
            if self.encoding == "deflate" and not self._started:  # raw deflate, without the zlib header
                self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                self._started = True
                return self.feed(data, room)
            raise self._broken(error) from None
        self._started = True
        return output

    def finish(self) -> None:
        """Check that a compressed body ended where its encoding says it does."""
        if self._decoder is not None and self._started and not self._decoder.eof:
            raise ConnectorError(
                "response_mapping", f"the {self.encoding} body ended before its end marker (truncated)"
            )

    def _broken(self, error: zlib.error) -> ConnectorError:
        return ConnectorError("response_mapping", f"the body is not valid {self.encoding} data ({error})")
