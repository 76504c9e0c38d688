"""Driving the installation's flow in tests: its buses menu, a bus's steps, saving."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from custom_components.benext.const import DOMAIN

BUSES = "buses"
NOT_PRESENT = {"transport": "none"}


async def start(hass: HomeAssistant, name: str = "Kerkstraat 12") -> dict[str, Any]:
    """A new installation's flow, named, at its buses menu."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return await submit(hass, result, {"name": name}, BUSES)


async def submit(
    hass: HomeAssistant, result: dict[str, Any], user_input: dict[str, Any], step_id: str
) -> dict[str, Any]:
    """Submit a step and check which form or menu comes next."""
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input)
    assert result["type"] in (FlowResultType.FORM, FlowResultType.MENU), result
    assert result["step_id"] == step_id, result.get("errors")
    return result


async def choose(
    hass: HomeAssistant, result: dict[str, Any], option: str, step_id: str | None = None
) -> dict[str, Any]:
    """Choose a menu option: by default a bus, whose transport step comes next."""
    assert result["type"] is FlowResultType.MENU, result
    assert option in result["menu_options"]
    return await submit(hass, result, {"next_step_id": option}, step_id or option)


async def finish(hass: HomeAssistant, result: dict[str, Any]) -> dict[str, Any]:
    """Save the installation from its buses menu: the entry created, or the reconfigure's abort."""
    assert result["type"] is FlowResultType.MENU, result
    assert result["step_id"] == BUSES
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "finish"}
    )
