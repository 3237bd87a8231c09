"""Typed parameters of the text and market kinds: encoders and files resolve only to allowed places."""

from __future__ import annotations

import json

import numpy as np
import pytest

from finloom._serialization import save_state
from finloom.apps.engine_jobs import NerTrainParams, resolve_encoder
from finloom.config import Settings
from finloom.jobs import InvalidParamsError
from finloom.workbench import Workbench


def _fake_model_folder(path):
    path.mkdir(parents=True)
    (path / "config.json").write_text(json.dumps({"model_type": "bert"}))
    (path / "model.safetensors").write_bytes(b"\0")
    return path


class _WithEncoder:
    def save(self, path):
        save_state(path, kind="WithEncoder", config={}, tensors={"w": np.zeros(2)})
        _fake_model_folder(path / "encoder")


class _Plain:
    def save(self, path):
        save_state(path, kind="Plain", config={}, tensors={"w": np.zeros(2)})


@pytest.fixture
def wb(tmp_path):
    wb = Workbench(Settings(workspace=tmp_path / "ws"), executor_mode="thread").start()
    yield wb
    wb.close()


def test_no_encoder_means_the_default(wb):
    assert resolve_encoder(wb.jobs.context(), None) is None and resolve_encoder(wb.jobs.context(), " ") is None


def test_a_registered_model_gives_its_encoder_folder(wb):
    wb.artifacts.save("fin-clf", _WithEncoder())
    found = resolve_encoder(wb.jobs.context(), "fin-clf")
    assert found == str(wb.artifacts.get("fin-clf").model_path / "encoder")


def test_a_registered_model_without_an_encoder_is_refused(wb):
    wb.artifacts.save("credit-gan", _Plain())
    with pytest.raises(InvalidParamsError) as err:
        resolve_encoder(wb.jobs.context(), "credit-gan")
    assert err.value.message == ("encoder must be a model holding a text encoder; got 'credit-gan', a _Plain. "
                                 "Pick a text classifier, a tagger, or a model folder in the imports folder.")


def test_a_model_folder_in_the_imports_folder_is_accepted(wb):
    folder = _fake_model_folder(wb.workspace / "imports" / "encoders" / "minilm-fin")
    assert resolve_encoder(wb.jobs.context(), "encoders/minilm-fin") == str(folder.resolve())


@pytest.mark.parametrize("value", ["..", "../..", "/", "/etc", "encoders/../../artifacts"])
def test_folders_outside_the_import_roots_are_refused(wb, value):
    with pytest.raises(InvalidParamsError) as err:
        resolve_encoder(wb.jobs.context(), value)
    assert err.value.message.startswith(f"encoder must be a registered model or a model folder inside the workspace's "
                                        f"imports folder or a FINLOOM_IMPORT_ROOTS folder; got {value!r}.")
    assert "finloom.db" not in err.value.message and str(wb.workspace) not in err.value.message


def test_ner_params_check_the_dataset_the_test_file_and_the_name(wb):
    import pandas as pd

    from finloom.errors import ConfigError, NotFoundError

    with pytest.raises(NotFoundError):
        wb.jobs.validate("nlp.train_ner", {"dataset": "toks"})
    wb.datasets.add("toks", pd.DataFrame({"sentence": [1, 1], "word": ["Acme", "pays"], "tag": ["B-ORG", "O"]}))
    (wb.workspace / "imports" / "test.conll").write_text("Acme B-ORG\npays O\n")
    assert wb.jobs.validate("nlp.train_ner", {"dataset": "toks", "test_path": "test.conll"}) == NerTrainParams(
        dataset="toks", test_path="test.conll")
    with pytest.raises(InvalidParamsError, match="^test_path must be an existing file"):
        wb.jobs.validate("nlp.train_ner", {"dataset": "toks", "test_path": "missing.conll"})
    with pytest.raises(ConfigError, match="^name must be 1-120 letters"):
        wb.jobs.validate("nlp.train_ner", {"dataset": "toks", "name": "../../x"})


@pytest.mark.parametrize("params, message", [
    ({"start": "2018-13-45"}, "start must be a valid date"),
    ({"end": "0001-01-01"}, "end must be between 1900-01-01 and 2100-12-31; got 0001-01-01."),
    ({"start": "2018-05-01", "end": "2018-01-01"}, "start must be on or before end; got start 2018-05-01 and end 2018-01-01."),
])
def test_report_windows_are_checked_before_a_job_runs(params, message):
    from finloom.apps.engine_jobs import MarketReportParams, PortfolioReportParams
    from finloom.jobs import parse_params

    for model, extra in ((MarketReportParams, {}), (PortfolioReportParams, {"weights": {"SP500": 1.0}})):
        with pytest.raises(InvalidParamsError, match=message.replace("(", r"\(")):
            parse_params(model, {**params, **extra})
