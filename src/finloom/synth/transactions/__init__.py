"""Transaction streams: a demo generative process, a fitted synthesizer, labelled anomaly injection."""

from finloom.synth.transactions._anomalies import ANOMALY_TYPES, inject_anomalies
from finloom.synth.transactions._demo import make_demo_tables
from finloom.synth.transactions._generator import TransactionSynthesizer

__all__ = ["ANOMALY_TYPES", "TransactionSynthesizer", "inject_anomalies", "make_demo_tables"]
