"""finloom.synth."""
