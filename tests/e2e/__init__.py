"""The browser test: Home Assistant's real frontend in headless Chromium, the simulated home."""
