"""finloom.jobs."""
