"""The P1 smart meter in Home Assistant: its coordinator, flows and entities."""
