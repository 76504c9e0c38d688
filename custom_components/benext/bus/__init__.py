"""The home's buses: connection settings, transports and readers (no Home Assistant imports)."""
