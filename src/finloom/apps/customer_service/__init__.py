"""finloom.apps.customer_service."""
