"""The TLS context every HTTP client of workbench checks servers' certificates with, built once per CA setting.

An httpx client built without one loads the whole CA bundle again (tens of milliseconds of CPU): a run, a model
call or an Intercom sync each built their own."""

from __future__ import annotations

import functools
import os
import ssl

import certifi


def verified() -> ssl.SSLContext:
    """The context httpx would build (``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` when set, else certifi's CAs), shared
    by every client while those variables stay as they are."""
    return _context(os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None)


@functools.cache
def _context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    if cert_file:
        return ssl.create_default_context(cafile=cert_file)
    if cert_dir:
        return ssl.create_default_context(capath=cert_dir)
    return ssl.create_default_context(cafile=certifi.where())
