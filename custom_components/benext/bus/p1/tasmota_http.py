"""Ask a Tasmota-based P1 reader (gPlug) for its sensors through its HTTP command API."""

from __future__ import annotations

import aiohttp
from yarl import URL

from ..connection import NetworkSettings

# `Status 10` answers `{"StatusSNS": {...}}`, the same sensors as the SENSOR message. The
# space is sent as %20: yarl would encode a query value's space as "+".
STATUS_QUERY = "cmnd=Status%2010"

# What a request may raise when the reader cannot be reached or does not answer in time.
HTTP_LINK_ERRORS = (aiohttp.ClientError, OSError, TimeoutError)


class TasmotaHttpStatusError(Exception):
    """The reader answered, but not with its sensors (an HTTP status other than 200)."""

    def __init__(self, status: int) -> None:
        """Initialize with the HTTP status received."""
        super().__init__(f"HTTP {status}")
        self.status = status


def status_url(network: NetworkSettings) -> URL:
    """The URL of `Status 10` on the reader."""
    base = URL.build(scheme="http", host=network.host, port=network.port, path="/cm")
    return URL(f"{base}?{STATUS_QUERY}", encoded=True)


async def async_fetch_status(
    session: aiohttp.ClientSession, network: NetworkSettings, seconds: float
) -> bytes:
    """The body of the reader's `Status 10` answer.

    Raises TasmotaHttpStatusError for an answer other than 200, and one of
    HTTP_LINK_ERRORS when no answer arrives within `seconds`.
    """
    async with session.get(
        status_url(network), timeout=aiohttp.ClientTimeout(total=seconds)
    ) as response:
        if response.status != 200:
            raise TasmotaHttpStatusError(response.status)
        return await response.read()
