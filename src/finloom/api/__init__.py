"""finloom.api."""
