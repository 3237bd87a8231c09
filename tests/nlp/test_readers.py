"""Readers: formats, encodings, label maps, de-duplication, splits and clear errors."""

from __future__ import annotations

import json

import pytest

from finloom.errors import InvalidDataError, NotFoundError
from finloom.nlp import (
    io_to_bio,
    read_conll,
    read_text_column,
    read_texts,
    read_token_table,
    read_tokens,
    stratified_split,
)


def test_read_texts_csv_maps_labels_and_dedupes(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('text,label\n"rise, strongly",1\nfall,0\n"rise, strongly",1\nflat,2\n')
    ds = read_texts(path, label_map={0: "bear", 1: "bull", 2: "neutral"})
    assert ds.texts == ["rise, strongly", "fall", "flat"]
    assert ds.labels == ["bull", "bear", "neutral"]


def test_read_texts_latin1_tsv(tmp_path):
    path = tmp_path / "d.tsv"
    path.write_bytes("text\tlabel\nPrêt à taux zéro accordé\tloan\nDépôt reçu à la société\tdeposit\n"
                     .encode("latin-1"))
    ds = read_texts(path)
    assert ds.texts[0] == "Prêt à taux zéro accordé"
    assert ds.labels == ["loan", "deposit"]


def test_read_texts_jsonl_multi_label(tmp_path):
    path = tmp_path / "d.jsonl"
    rows = [{"text": "card and fee", "label": "card|fee"}, {"text": "rate", "label": "fx"}]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    assert read_texts(path, multi_label_sep="|").labels == [["card", "fee"], ["fx"]]


def test_read_texts_missing_column_suggests(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("text,category\na,x\nb,y\n")
    with pytest.raises(InvalidDataError, match="Did you mean 'category'"):
        read_texts(path, label_column="categry")


def test_read_texts_empty_text_and_single_class(tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_text("text,label\nok,a\n,b\n")
    with pytest.raises(InvalidDataError, match="empty text.*line\\(s\\) 3"):
        read_texts(empty)
    single = tmp_path / "s.csv"
    single.write_text("text,label\nx,a\ny,a\n")
    with pytest.raises(InvalidDataError, match="at least two classes; got only 'a'"):
        read_texts(single)
    with pytest.raises(NotFoundError, match="must exist"):
        read_texts(tmp_path / "missing.csv")


def test_stratified_split_keeps_class_proportions():
    labels = ["a"] * 80 + ["b"] * 20
    train, test = stratified_split(labels, 0.25, 0)
    assert len(set(train) & set(test)) == 0 and len(train) + len(test) == 100
    assert sum(labels[i] == "b" for i in test) == 5
    again, _ = stratified_split(labels, 0.25, 0)
    assert (again == train).all()


def test_read_conll_converts_io_to_bio(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("-DOCSTART- -X- O O\n\nThe DT - O\nBorrower NNP - I-PER\n\n"
                    "Bank NNP - I-ORG\nof IN - I-ORG\nAmerica NNP - I-ORG\n")
    ds = read_conll(path)
    assert ds.tokens == [["The", "Borrower"], ["Bank", "of", "America"]]
    assert ds.tags == [["O", "B-PER"], ["B-ORG", "I-ORG", "I-ORG"]]
    assert ds.entity_types == ["ORG", "PER"]


def test_read_tokens_jsonl_and_errors(tmp_path):
    good = tmp_path / "g.jsonl"
    good.write_text('{"tokens": ["Acme", "pays"], "tags": ["B-ORG", "O"]}\n')
    assert read_tokens(good).tags == [["B-ORG", "O"]]
    bad = tmp_path / "b.jsonl"
    bad.write_text('{"tokens": ["Acme"], "tags": []}\n')
    with pytest.raises(InvalidDataError, match="equal length"):
        read_tokens(bad)


def test_io_to_bio_splits_type_changes():
    assert io_to_bio(["I-PER", "I-ORG", "O", "I-ORG"]) == ["B-PER", "B-ORG", "O", "B-ORG"]


def test_read_shared_data_counts(shared_data):
    tfns = read_texts(shared_data / "tfns" / "sent_valid.csv", label_map={0: "bearish", 1: "bullish", 2: "neutral"})
    assert len(tfns) == 2388 and set(tfns.labels) == {"bearish", "bullish", "neutral"}
    fin = read_conll(shared_data / "fin-ner" / "FIN3.txt")
    assert len(fin) == 303 and sum(map(len, fin.tokens)) == 13246


def test_read_token_table_groups_rows_into_sentences(tmp_path):
    path = tmp_path / "ner.csv"  # the Kaggle/GMB layout: sentence id on a sentence's first row only
    path.write_text("Sentence #,Word,POS,Tag\nSentence: 1,Acme,NNP,B-org\n,Corp,NNP,I-org\n,pays,VBZ,O\n"
                    "Sentence: 2,Bob,NNP,I-per\n,Lee,NNP,I-per\n")
    data = read_tokens(path)
    assert data.tokens == [["Acme", "Corp", "pays"], ["Bob", "Lee"]]
    assert data.tags == [["B-ORG", "I-ORG", "O"], ["B-PER", "I-PER"]]
    assert data.entity_types == ["ORG", "PER"]


def test_read_token_table_errors_name_the_problem(tmp_path):
    path = tmp_path / "ner.tsv"
    path.write_text("sentence\tword\tlabelz\n1\tAcme\tB-ORG\n")
    with pytest.raises(InvalidDataError, match=r"a tag column must exist in ner.tsv .*got columns \['sentence', 'word', 'labelz'\]"):
        read_tokens(path)
    with pytest.raises(InvalidDataError, match="column 'labelx' must exist.*Did you mean 'labelz'"):
        read_token_table(path, tag_column="labelx")
    path.write_text("sentence\tword\ttag\n1\tAcme\tB-ORG\n1\t\tO\n")
    with pytest.raises(InvalidDataError, match=r"must hold a token on every row; got empty tokens at rows \[1\]"):
        read_tokens(path)
    path.write_text("sentence\tword\ttag\n")
    with pytest.raises(InvalidDataError, match="got an empty table"):
        read_tokens(path)


def test_jsonl_line_that_is_not_an_object_is_named(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a", "label": "x"}\n{"text": "b", "label": \n')
    with pytest.raises(InvalidDataError, match=r"line 2 must be one JSON object; got '\{\"text\": \"b\""):
        read_texts(path)
    path.write_text('{"tokens": ["a"], "tags": ["O"]}\n[1, 2]\n')
    with pytest.raises(InvalidDataError, match="line 2 must be one JSON object; got list"):
        read_tokens(path)


def test_read_text_column_and_its_errors(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,body\n1,Acme pays $5\n")
    frame, texts = read_text_column(path, "body")
    assert texts == ["Acme pays $5"] and list(frame.columns) == ["id", "body"]
    with pytest.raises(InvalidDataError, match="column 'txt' must exist.*got columns \\['id', 'body'\\]"):
        read_text_column(path, "txt")
    path.write_text("id,body\n")
    with pytest.raises(InvalidDataError, match="must hold at least one row"):
        read_text_column(path, "body")
