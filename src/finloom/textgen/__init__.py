"""finloom.textgen."""
