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
    with pytest.raises(InvalidDataError, match="must contain at least one data row below the header; got a header only"):
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
    with pytest.raises(InvalidDataError, match="d.csv must contain at least one data row below the header"):
        read_text_column(path, "body")


def test_read_texts_sentence_at_label_without_header(tmp_path):
    path = tmp_path / "Sentences_AllAgree.txt"
    path.write_bytes("Nestlé 's sales rose 5 % .@positive\r\nOperating profit fell .@negative\r\n".encode("latin-1"))
    ds = read_texts(path, sep="@", header=False, text_column="1", label_column="2")
    assert ds.texts == ["Nestlé 's sales rose 5 % .", "Operating profit fell ."]
    assert ds.labels == ["positive", "negative"]


def test_read_texts_keeps_labels_and_texts_as_written(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("text,label\nNA,None\nnull,007\n")
    ds = read_texts(path)
    assert ds.texts == ["NA", "null"] and ds.labels == ["None", "007"]


def test_read_texts_wrong_layout_hints_at_the_separator(tmp_path):
    path = tmp_path / "fpb.txt"
    path.write_text("Sales , costs and profit fell .@negative\nProfit rose , it said .@positive\nFlat .@neutral\n")
    with pytest.raises(InvalidDataError, match=r"Lines look like 'text@label': pass sep='@'"):
        read_texts(path)
    with pytest.raises(InvalidDataError, match=r"columns 'text' and 'label' must exist in fpb.txt; got columns "
                                               r"\['Sales , costs and profit fell \.', 'negative'\]\. If the first "
                                               r"line is data, not column names, pass header=False"):
        read_texts(path, sep="@")
    path.write_text("Sales fell .@negative\nProfit rose .@positive\nmail a@b.com .@neutral\n")
    with pytest.raises(InvalidDataError, match=r"must have 2 fields like the first line; got 1 row.* line\(s\) 3\."):
        read_texts(path, sep="@", header=False, text_column="1", label_column="2")
    path.write_text("Sales fell .@negative\n@positive\n")
    with pytest.raises(InvalidDataError, match=r"texts must be non-empty; got 1 empty text\(s\) at line\(s\) 2\."):
        read_texts(path, sep="@", header=False, text_column="1", label_column="2")


def test_read_text_column_utf16_export(tmp_path):
    path = tmp_path / "d.tsv"  # Excel's "Unicode text": UTF-16 with a byte-order mark
    path.write_bytes("id\ttext\n1\tPrêt à taux zéro\n".encode("utf-16"))
    assert read_text_column(path)[1] == ["Prêt à taux zéro"]


def test_read_token_table_integer_tags_with_a_tag_map_and_document_ids(tmp_path):
    path = tmp_path / "ner.csv"
    path.write_text("doc_id,sentence_id,token,label\n0,0,Acme,1\n0,0,pays,0\n0,1,Bob,3\n1,0,Ann,3\n1,0,Lee,4\n")
    tag_map = {0: "O", 1: "B-ORG", 3: "B-PER", 4: "I-PER"}
    data = read_token_table(path, tag_map=tag_map)  # doc_id joins sentence_id: 3 sentences, not 2
    assert data.tokens == [["Acme", "pays"], ["Bob"], ["Ann", "Lee"]]
    assert data.tags == [["B-ORG", "O"], ["B-PER"], ["B-PER", "I-PER"]]
    only_sentence = read_token_table(path, tag_map=tag_map, sentence_column="sentence_id")
    assert len(only_sentence) == 2
    grouped = read_tokens(path, tag_map=tag_map, sentence_column=["doc_id", "sentence_id"])
    assert grouped.tokens == data.tokens
    with pytest.raises(InvalidDataError, match=r"got '3' \(2 tokens\), '0' \(1 token\) in ner.csv\. .*--tag-map ...,0=O"):
        read_token_table(path, tag_map={1: "B-ORG", 4: "I-PER"})


def test_tags_must_be_bio_or_io(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"tokens": ["Bob", "pays"], "tags": ["PER", "O"]}) + "\n")
    with pytest.raises(InvalidDataError, match=r"tags must be 'O' or BIO/IO tags .*got 'PER' \(1 token\) in d.jsonl\. "
                                               r"Prefix entity tags with 'B-' or 'I-'"):
        read_tokens(path)
    assert read_tokens(path, tag_map={"PER": "I-PER"}).tags == [["B-PER", "O"]]
    conll = tmp_path / "d.conll"
    conll.write_text("Bob 1\npays 0\n")
    assert read_conll(conll, tag_map={"0": "O", "1": "B-PER"}).tags == [["B-PER", "O"]]
