"""finloom.synth.tabular."""
