"""finloom.cli."""
