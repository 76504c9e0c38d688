"""Wireless M-Bus: the JSON that wmbusmeters prints, mapped to typed telegrams."""
