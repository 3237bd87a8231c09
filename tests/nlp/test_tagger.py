"""TokenTagger: learns a toy NER set, first-sub-word labelling, spans + rules, persistence."""

from __future__ import annotations

import pytest

from finloom.errors import ConfigError, InvalidDataError, NotFittedError
from finloom.nlp import TokenTagger
from tests.nlp._toy import NER_TAGS, NER_TOKENS

TOKENS = NER_TOKENS * 6
TAGS = NER_TAGS * 6


@pytest.fixture(scope="module")
def tagger(tiny_bert):
    return TokenTagger(encoder=tiny_bert, epochs=25, batch_size=4, learning_rate=3e-3,
                       head_learning_rate=3e-3, validation_fraction=0.0, random_state=0).fit(TOKENS, TAGS)


def test_token_tagger_learns_toy_entities(tagger):
    assert tagger.tags_ == ["O", "B-ORG", "B-PER", "I-ORG"]
    assert tagger.history_.epoch_loss[-1] < tagger.history_.epoch_loss[0] * 0.5
    assert tagger.score(NER_TOKENS, NER_TAGS).micro["f1"] >= 0.8


def test_token_tagger_accepts_io_tags_and_long_sentences(tiny_bert):
    io_tags = [[t.replace("B-", "I-") for t in s] for s in NER_TAGS]
    tagger = TokenTagger(encoder=tiny_bert, epochs=1, max_words=3, validation_fraction=0.0).fit(
        NER_TOKENS, io_tags)
    assert tagger.scheme_ == "io"
    assert tagger.tags_ == ["O", "I-ORG", "I-PER"]
    pred = tagger.predict(NER_TOKENS)
    assert [len(p) for p in pred] == [len(s) for s in NER_TOKENS]
    assert all(t == "O" or t[:2] in {"B-", "I-"} for p in pred for t in p)


def test_token_tagger_predictions_are_well_formed_bio(tagger):
    assert tagger.scheme_ == "bio"
    for sent in tagger.predict(NER_TOKENS + [["pays", "corp", "of", "london", "now"]]):
        for prev, tag in zip(["O", *sent], sent, strict=False):
            if tag.startswith("I-"):
                assert prev != "O" and prev[2:] == tag[2:]


def test_token_tagger_predict_proba_rows_are_distributions(tagger):
    proba = tagger.predict_proba(NER_TOKENS[:2])
    assert [p.shape for p in proba] == [(len(s), len(tagger.tags_)) for s in NER_TOKENS[:2]]
    assert all(abs(row.sum() - 1.0) < 1e-5 for p in proba for row in p)


def test_token_tagger_predict_spans_merges_rules(tagger):
    text = "Acme Corp pays the Lender 5% on 2024-01-31 for $AAPL"
    spans = tagger.predict_spans(text)
    labels = {(s.label, s.text) for s in spans}
    assert {("PERCENT", "5%"), ("DATE", "2024-01-31"), ("TICKER", "$AAPL")} <= labels
    assert ("ORG", "Acme Corp") in labels
    assert all(text[s.start:s.end] == s.text for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_token_tagger_predict_spans_batch_matches_one_at_a_time(tagger):
    texts = ["Acme Corp pays the Lender 5%", "", "the borrower is bank of london", "   "]
    batch = tagger.predict_spans_batch(texts)
    assert batch == [tagger.predict_spans(t) for t in texts]
    assert batch[1] == [] and batch[3] == []
    assert ("ORG", "Acme Corp") in {(s.label, s.text) for s in batch[0]}


def test_token_tagger_save_load_identical(tagger, tmp_path):
    loaded = TokenTagger.load(tagger.save(tmp_path / "t"))
    assert loaded.scheme_ == tagger.scheme_
    assert loaded.predict(NER_TOKENS) == tagger.predict(NER_TOKENS)


def test_token_tagger_bad_inputs(tiny_bert):
    with pytest.raises(NotFittedError):
        TokenTagger().predict([["a"]])
    with pytest.raises(InvalidDataError, match="equally long"):
        TokenTagger(encoder=tiny_bert).fit([["a", "b"]], [["O"]])
    with pytest.raises(InvalidDataError, match="at least one entity"):
        TokenTagger(encoder=tiny_bert).fit([["a"]], [["O"]])
    with pytest.raises(ConfigError, match="'scheme' parameter of TokenTagger must be 'auto', 'bio' or 'io'"):
        TokenTagger(encoder=tiny_bert, scheme="bilou").fit(TOKENS, TAGS)


def _fit(tiny_bert, tokens, tags, **kw):
    return TokenTagger(encoder=tiny_bert, epochs=20, batch_size=4, learning_rate=3e-3,
                       head_learning_rate=3e-3, validation_fraction=0.0, random_state=0, **kw).fit(tokens, tags)


def test_token_tagger_word_shapes_tell_a_name_from_a_lowercase_word(tiny_bert):
    # the tokenizer lowercases, so only the word's shape tells "Bank" (a name) from "bank"
    tokens = [["the", "Bank", "pays"], ["the", "bank", "pays"]] * 12
    tags = [["O", "B-ORG", "O"], ["O", "O", "O"]] * 12
    assert _fit(tiny_bert, tokens, tags).predict(tokens[:2]) == tags[:2]
    blind = _fit(tiny_bert, tokens, tags, word_shapes=False).predict(tokens[:2])
    assert blind[0] == blind[1]


def test_token_tagger_loads_files_written_before_word_shapes(tiny_bert, tmp_path):
    import json

    from safetensors.numpy import load_file, save_file

    tagger = _fit(tiny_bert, TOKENS, TAGS, word_shapes=False)
    root = tagger.save(tmp_path / "t")
    # the earlier format: a bare Linear head ("weight", "bias"), no word_shapes or mention_replacement
    tensors = load_file(str(root / "model.safetensors"))
    save_file({k.removeprefix("out."): v for k, v in tensors.items()}, str(root / "model.safetensors"))
    doc = json.loads((root / "config.json").read_text())
    del doc["config"]["params"]["word_shapes"]
    del doc["config"]["params"]["mention_replacement"]
    (root / "config.json").write_text(json.dumps(doc))
    loaded = TokenTagger.load(root)
    assert loaded.word_shapes is False and loaded.mention_replacement == 0
    assert loaded.predict(NER_TOKENS) == tagger.predict(NER_TOKENS)


def test_token_tagger_save_failure_keeps_the_previous_folder(tagger, tmp_path, monkeypatch):
    from finloom.nlp._encoder import Encoder

    tagger.save(tmp_path / "t")
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "t").rglob("*"))

    def broken(self, path):
        (path / "half-written").parent.mkdir(parents=True, exist_ok=True)
        (path / "half-written").write_text("x")
        raise OSError("disk full")

    monkeypatch.setattr(Encoder, "save", broken)
    with pytest.raises(OSError, match="disk full"):
        tagger.save(tmp_path / "t")
    with pytest.raises(OSError, match="disk full"):
        tagger.save(tmp_path / "new")
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "t").rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t"]  # no new folder, no temp left


def test_token_tagger_spans_in_chinese_text_are_per_character(tagger, monkeypatch):
    seen = []

    def fake_predict(tokens):  # the model's view: one token per Han character
        seen.extend(tokens)
        return [["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O", "O", "O", "O"] for _ in tokens]

    monkeypatch.setattr(tagger, "predict", fake_predict)
    text = "张三在北京支付5%"
    spans = tagger.predict_spans(text)
    assert seen == [["张", "三", "在", "北", "京", "支", "付", "5", "%"]]
    assert [(s.label, s.text, s.source) for s in spans] == [
        ("PER", "张三", "model"), ("LOC", "北京", "model"), ("PERCENT", "5%", "rule")]


def test_token_tagger_stops_early_on_a_given_validation_split(tiny_bert):
    tagger = TokenTagger(encoder=tiny_bert, epochs=2, patience=5, validation_fraction=0.0, random_state=0)
    tagger.fit(NER_TOKENS, NER_TAGS, validation=(NER_TOKENS[:2], NER_TAGS[:2]))
    assert len(tagger.history_.val_score) == 2  # scored each epoch although nothing was carved off
    with pytest.raises(InvalidDataError, match="tokens and tags must be equally long"):
        TokenTagger(encoder=tiny_bert, epochs=1).fit(NER_TOKENS, NER_TAGS, validation=([["a", "b"]], [["O"]]))
