"""The wireless M-Bus meters in Home Assistant: their coordinator, flows and entities."""
