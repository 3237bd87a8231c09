"""finloom.evaluate."""
