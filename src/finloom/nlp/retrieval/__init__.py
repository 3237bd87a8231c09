"""Hybrid retrieval: BM25 (English, Chinese via jieba) + dense MiniLM, fused by reciprocal rank."""

from finloom.nlp.retrieval._retriever import Hit, Retriever, reciprocal_rank_fusion, tokenize

__all__ = ["Hit", "Retriever", "reciprocal_rank_fusion", "tokenize"]
