"""finloom.apps.strategy_lab."""
