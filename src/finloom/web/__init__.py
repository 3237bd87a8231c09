"""finloom.web."""
