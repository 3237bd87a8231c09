"""finloom.apps.compliance."""
