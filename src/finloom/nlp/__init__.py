"""finloom.nlp."""
