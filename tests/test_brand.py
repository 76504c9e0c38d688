"""The integration's brand images and the installation's hub device, as the UI shows them."""

from __future__ import annotations

from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from PIL import Image
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.benext.const import DOMAIN
from tests import setup_integration

BRAND = Path(__file__).parent.parent / "custom_components" / DOMAIN / "brand"


@pytest.mark.parametrize(
    ("image", "size"),
    [
        ("icon.png", (256, 256)),
        ("icon@2x.png", (512, 512)),
        ("dark_icon.png", (256, 256)),
        ("dark_icon@2x.png", (512, 512)),
        ("logo.png", (None, 128)),
        ("logo@2x.png", (None, 256)),
        ("dark_logo.png", (None, 128)),
        ("dark_logo@2x.png", (None, 256)),
    ],
)
async def test_brand_images_are_served(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    image: str,
    size: tuple[int | None, int],
) -> None:
    """Home Assistant serves each image from the integration's brand folder, at its size."""
    assert await async_setup_component(hass, "brands", {})
    client = await hass_client()

    response = await client.get(f"/api/brands/integration/{DOMAIN}/{image}?placeholder=no")

    assert response.status == 200
    assert response.content_type == "image/png"
    assert await response.read() == (BRAND / image).read_bytes()
    with Image.open(BRAND / image) as png:
        width, height = png.size
    assert height == size[1]
    # An icon is square, a logo landscape.
    assert width == size[0] if size[0] is not None else width > 2 * height


async def test_hub_device_names_its_maker_and_model(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """The installation's device says what it is, like any other device."""
    assert await setup_integration(hass, mock_config_entry)

    hub = device_registry.async_get_device_by_identifier(
        (DOMAIN, mock_config_entry.entry_id), mock_config_entry.entry_id
    )

    assert hub is not None
    assert (hub.name, hub.manufacturer, hub.model) == ("Demo home", "BeNext", "Home installation")
