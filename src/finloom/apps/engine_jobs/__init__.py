"""Job functions that run engine services on the workbench (datasets in, artifacts and files out)."""
