"""finloom.apps.reports."""
