"""finloom.apps."""
