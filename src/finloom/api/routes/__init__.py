"""finloom.api.routes."""
