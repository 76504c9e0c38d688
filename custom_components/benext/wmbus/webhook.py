"""The installation's endpoint for wmbusmeters: its `shell=` line posts each telegram here."""

from __future__ import annotations

from collections import Counter
from hmac import compare_digest
from http import HTTPStatus

from aiohttp import hdrs, web
from homeassistant.components import webhook
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.network import NoURLAvailableError

from ..bus.wmbus.telegram import parse_body
from ..const import DOMAIN, LOGGER, WMBUS_MAX_BODY
from .coordinator import TelegramOutcome, WmbusCoordinator

# Shown in the set-up text when Home Assistant does not know its own address yet.
URL_PLACEHOLDER = "http://homeassistant.local:8123"


@callback
def async_register_endpoint(
    hass: HomeAssistant, title: str, coordinator: WmbusCoordinator
) -> CALLBACK_TYPE:
    """Accept wmbusmeters' posts for the installation; returns what unregisters it."""
    webhook_id = coordinator.connection.webhook_id or ""
    token = coordinator.connection.token

    async def handle(hass: HomeAssistant, webhook_id: str, request: web.Request) -> web.Response:
        return await async_handle_post(request, coordinator, token)

    webhook.async_register(
        hass,
        DOMAIN,
        f"{title} wM-Bus",
        webhook_id,
        handle,
        local_only=True,
        allowed_methods=[hdrs.METH_POST],
    )
    return lambda: webhook.async_unregister(hass, webhook_id)


async def async_handle_post(
    request: web.Request, coordinator: WmbusCoordinator, token: str | None
) -> web.Response:
    """Check one post and hand its telegrams to the coordinator.

    The answer says what became of each telegram; only a request that cannot be read at
    all is refused (4xx), so wmbusmeters' log shows why.
    """
    if token is not None and not _bearer_matches(request, token):
        LOGGER.warning("wM-Bus post from %s without the right token", request.remote)
        return _answer(HTTPStatus.UNAUTHORIZED, "missing or wrong bearer token")
    if (request.content_length or 0) > WMBUS_MAX_BODY:
        return _answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body over {WMBUS_MAX_BODY} bytes")
    body = await _async_read_body(request)
    if body is None:
        return _answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body over {WMBUS_MAX_BODY} bytes")
    try:
        values = parse_body(body.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        LOGGER.warning("wM-Bus post from %s is not JSON: %.120r", request.remote, body)
        return _answer(HTTPStatus.BAD_REQUEST, "not JSON")
    outcomes = Counter(coordinator.async_handle(value) for value in values)
    if not values or outcomes[TelegramOutcome.INVALID] == len(values):
        return _answer(HTTPStatus.BAD_REQUEST, "no wmbusmeters telegram in the body")
    return _answer(
        HTTPStatus.OK, ", ".join(f"{outcome}: {count}" for outcome, count in outcomes.items())
    )


async def _async_read_body(request: web.Request) -> bytes | None:
    """The whole body, however many segments it arrives in; None when it is over the cap."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.read(WMBUS_MAX_BODY + 1 - size):
        chunks.append(chunk)
        size += len(chunk)
        if size > WMBUS_MAX_BODY:
            return None
    return b"".join(chunks)


def _bearer_matches(request: web.Request, token: str) -> bool:
    scheme, _, given = request.headers.get(hdrs.AUTHORIZATION, "").partition(" ")
    # Compared as bytes: a header with other than ASCII is simply not the token.
    return scheme.lower() == "bearer" and compare_digest(
        given.strip().encode("utf-8", "surrogateescape"), token.encode("utf-8")
    )


def _answer(status: HTTPStatus, reason: str) -> web.Response:
    return web.Response(status=status, text=reason + "\n")


@callback
def async_endpoint_url(hass: HomeAssistant, webhook_id: str) -> str:
    """The endpoint's address on the home network, as wmbusmeters must call it."""
    try:
        return webhook.async_generate_url(
            hass, webhook_id, allow_external=False, prefer_external=False
        )
    except NoURLAvailableError:
        return URL_PLACEHOLDER + webhook.async_generate_path(webhook_id)
