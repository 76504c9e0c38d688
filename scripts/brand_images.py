"""Draw the integration's brand images into custom_components/benext/brand/.

Usage: `python scripts/brand_images.py` (in the development environment, which has Pillow
and the DejaVu fonts). Home Assistant 2026.3 and later serves these for a custom
integration: `icon.png` (256 px square) and `logo.png` (128 px high, landscape), each with
an `@2x` twice the size and a `dark_` variant for dark themes. The icon is a house with a
lightning bolt, the home whose energy BeNext monitors; the logo adds the name.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = Path(__file__).resolve().parent.parent / "custom_components" / "benext" / "brand"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
GREEN = (46, 158, 84, 255)
DARK_TEXT = (33, 37, 41, 255)
LIGHT_TEXT = (241, 243, 245, 255)
WHITE = (255, 255, 255, 255)
# Drawn this many times larger, then scaled down: smooth edges.
SUPERSAMPLE = 4


def icon(size: int) -> Image.Image:
    """The green tile with a white house and a green lightning bolt in it."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=GREEN)

    def at(x: float, y: float) -> tuple[float, float]:
        return (x * big, y * big)

    house = [at(0.5, 0.17), at(0.84, 0.47), at(0.75, 0.47), at(0.75, 0.82), at(0.25, 0.82)]
    house += [at(0.25, 0.47), at(0.16, 0.47)]
    draw.polygon(house, fill=WHITE)
    bolt = [at(0.55, 0.40), at(0.38, 0.63), at(0.49, 0.63), at(0.44, 0.78), at(0.63, 0.55)]
    bolt += [at(0.52, 0.55)]
    draw.polygon(bolt, fill=GREEN)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def logo(height: int, text_colour: tuple[int, int, int, int]) -> Image.Image:
    """The icon and the name beside it."""
    big = height * SUPERSAMPLE
    font = ImageFont.truetype(str(FONT), int(big * 0.62))
    left, top, right, bottom = font.getbbox("BeNext")
    gap = big // 5
    image = Image.new("RGBA", (big + gap + right - left, big), (0, 0, 0, 0))
    image.alpha_composite(icon(big))
    draw = ImageDraw.Draw(image)
    position = (big + gap - left, (big - (bottom - top)) // 2 - top)
    draw.text(position, "BeNext", font=font, fill=text_colour)
    return image.resize((image.width // SUPERSAMPLE, height), Image.Resampling.LANCZOS)


def main() -> None:
    BRAND.mkdir(parents=True, exist_ok=True)
    for scale, suffix in ((1, ""), (2, "@2x")):
        tile = icon(256 * scale)
        tile.save(BRAND / f"icon{suffix}.png", optimize=True)
        tile.save(BRAND / f"dark_icon{suffix}.png", optimize=True)
        logo(128 * scale, DARK_TEXT).save(BRAND / f"logo{suffix}.png", optimize=True)
        logo(128 * scale, LIGHT_TEXT).save(BRAND / f"dark_logo{suffix}.png", optimize=True)
    print(f"Wrote the brand images to {BRAND}")


if __name__ == "__main__":
    main()
