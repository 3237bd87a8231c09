"""finloom.synth.transactions."""
