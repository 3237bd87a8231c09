"""Risk monitoring: streaming transaction alerts with cases, and a sentiment monitor."""
