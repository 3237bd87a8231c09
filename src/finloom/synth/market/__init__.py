"""finloom.synth.market."""
