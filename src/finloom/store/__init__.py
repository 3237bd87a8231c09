"""finloom.store."""
