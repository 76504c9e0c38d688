"""Which changes to an installation's entry need a reload: all but what its buses hear."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.benext.const import DOMAIN
from custom_components.benext.runtime import EntrySettings


def block_entry(hass: HomeAssistant) -> MockConfigEntry:
    """An installation with two wM-Bus meters, not set up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Block",
        data={"wmbus": {"transport": "http", "webhook_id": "block", "token": "t"}},
        subentries_data=[
            {
                "subentry_id": f"meter_{meter_id}",
                "subentry_type": "wmbus_meter",
                "title": f"Flat · wM-Bus {meter_id}",
                "unique_id": meter_id,
                "data": {"meter_id": meter_id, "driver": "auto", "key": None, "role": "radiator"},
            }
            for meter_id in ("70000101", "70000102")
        ],
    )
    entry.add_to_hass(hass)
    return entry


async def test_what_a_meter_heard_needs_no_reload(hass: HomeAssistant) -> None:
    """Fields, a detected driver and a serial number stored by the bus change nothing."""
    entry = block_entry(hass)
    settings = EntrySettings(entry)
    subentry = entry.subentries["meter_70000101"]
    heard = {"fields": ["total_m3"], "detected_driver": "multical21", "serial": "1"}
    hass.config_entries.async_update_subentry(entry, subentry, data={**subentry.data, **heard})
    assert not settings.changed(entry)
    # Seen from then on: a second look finds nothing either.
    assert not settings.changed(entry)


async def test_what_the_user_sets_needs_a_reload(hass: HomeAssistant) -> None:
    """A meter's key or title, the options, an added or removed meter: each reloads."""
    entry = block_entry(hass)
    subentry = entry.subentries["meter_70000102"]

    settings = EntrySettings(entry)
    data = {**subentry.data, "key": "00112233445566778899AABBCCDDEEFF"}
    hass.config_entries.async_update_subentry(entry, subentry, data=data)
    assert settings.changed(entry)

    settings = EntrySettings(entry)
    hass.config_entries.async_update_subentry(entry, subentry, title="Kitchen")
    assert settings.changed(entry)

    settings = EntrySettings(entry)
    hass.config_entries.async_update_entry(entry, options={"write_interval": 10})
    assert settings.changed(entry)

    settings = EntrySettings(entry)
    hass.config_entries.async_remove_subentry(entry, subentry.subentry_id)
    assert settings.changed(entry)
