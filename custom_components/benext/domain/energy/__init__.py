"""The home's derived energy: household and building-related consumption, NOM and EPV."""
