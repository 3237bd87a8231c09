"""Micro-batcher and chunked file scoring (local and on a Dask cluster)."""

from __future__ import annotations

import asyncio
import threading
import time

import pandas as pd
import pytest

from finloom.errors import ConfigError, InvalidDataError, ServiceError
from finloom.nlp import MicroBatcher, TextClassifier, score_file
from tests.nlp._toy import TOY_LABELS, TOY_TEXTS


def test_micro_batcher_groups_concurrent_requests():
    def slow_double(xs):
        time.sleep(0.01)
        return [x * 2 for x in xs]

    with MicroBatcher(slow_double, max_batch=8, max_wait_ms=50) as mb:
        results: dict[int, int] = {}
        threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, mb.predict(i, timeout=5)))
                   for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert results == {i: 2 * i for i in range(20)}
    assert max(mb.batch_sizes) > 1 and max(mb.batch_sizes) <= 8 and sum(mb.batch_sizes) == 20


def test_micro_batcher_async_and_errors():
    async def run(mb):
        return await asyncio.gather(*(mb.apredict(i) for i in range(5)))

    with MicroBatcher(lambda xs: [x + 1 for x in xs], max_wait_ms=5) as mb:
        assert asyncio.run(run(mb)) == [1, 2, 3, 4, 5]

    def boom(xs):
        raise RuntimeError("model failed")

    with MicroBatcher(boom) as mb, pytest.raises(RuntimeError, match="model failed"):
        mb.predict(1, timeout=5)
    with pytest.raises(ServiceError, match="closed"):
        mb.submit(1)
    with pytest.raises(ConfigError):
        MicroBatcher(boom, max_batch=0)


@pytest.fixture(scope="module")
def saved_model(tiny_bert, tmp_path_factory):
    clf = TextClassifier(encoder=tiny_bert, C=100.0).fit(TOY_TEXTS, TOY_LABELS)
    return clf, clf.save(tmp_path_factory.mktemp("m") / "model")


def test_score_file_in_chunks(saved_model, tmp_path):
    clf, path = saved_model
    src = tmp_path / "in.csv"
    pd.DataFrame({"id": range(len(TOY_TEXTS)), "text": TOY_TEXTS}).to_csv(src, index=False)
    calls = []
    result = score_file(path, src, tmp_path / "out.csv", chunk_size=5,
                        progress=lambda f, m="": calls.append(f))
    assert result["rows"] == 16 and result["chunks"] == 4
    out = pd.read_csv(tmp_path / "out.csv")
    assert out["prediction"].tolist() == clf.predict(TOY_TEXTS)
    assert out["id"].tolist() == list(range(16)) and out["confidence"].between(0.5, 1).all()
    assert calls[-1] == 1.0
    with pytest.raises(InvalidDataError, match="Did you mean 'text'"):
        score_file(path, src, tmp_path / "o.csv", text_column="txt")


def test_score_file_on_dask(saved_model, tmp_path):
    from distributed import LocalCluster

    clf, path = saved_model
    src = tmp_path / "in.csv"
    pd.DataFrame({"text": TOY_TEXTS}).to_csv(src, index=False)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        result = score_file(path, src, tmp_path / "out.csv", chunk_size=8,
                            dask_address=cluster.scheduler_address)
    assert result["chunks"] == 2
    assert pd.read_csv(tmp_path / "out.csv")["prediction"].tolist() == clf.predict(TOY_TEXTS)


def test_tag_file_on_dask_matches_local(tiny_bert, tmp_path):
    from distributed import LocalCluster

    from finloom.nlp import TokenTagger, tag_file
    from tests.nlp._toy import NER_TAGS, NER_TOKENS

    tagger = TokenTagger(encoder=tiny_bert, epochs=1, validation_fraction=0.0, random_state=0).fit(NER_TOKENS, NER_TAGS)
    folder = tagger.save(tmp_path / "ner")
    src = tmp_path / "in.jsonl"
    texts = ["acme corp pays 5% on 2024-01-31", "the lender", "fees of $12 million", "bank of london"]
    src.write_text("".join(f'{{"text": "{t}"}}\n' for t in texts))
    local = tag_file(tagger, src, tmp_path / "local.jsonl", chunk_size=3)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        remote = tag_file(folder, src, tmp_path / "dask.jsonl", chunk_size=3, dask_address=cluster.scheduler_address)
    assert local["chunks"] == remote["chunks"] == 2 and local["rows"] == 4
    assert (tmp_path / "local.jsonl").read_text() == (tmp_path / "dask.jsonl").read_text()
    assert local["by_label"]["MONEY"] == 1 and local["by_label"]["PERCENT"] == 1
    with pytest.raises(ConfigError, match="must be a saved model folder"):
        tag_file(tagger, src, tmp_path / "x.jsonl", dask_address="tcp://127.0.0.1:1")
