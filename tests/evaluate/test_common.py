"""Bad input gives clear errors; inputs are never modified."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.errors import ConfigError, InvalidDataError
from finloom.evaluate import QualityReport, evaluate_detection, evaluate_fidelity, evaluate_privacy


@pytest.fixture
def real() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"a": rng.normal(size=50), "b": rng.choice(["x", "y"], size=50)})


def test_check_mismatched_columns_raises(real: pd.DataFrame) -> None:
    with pytest.raises(InvalidDataError, match=r"synthetic columns must match the metadata; got missing \['b'\]"):
        evaluate_fidelity(real, real[["a"]], Metadata.infer(real))


def test_check_empty_table_raises(real: pd.DataFrame) -> None:
    with pytest.raises(InvalidDataError, match="synthetic must have at least one row"):
        evaluate_fidelity(real, real.iloc[:0], Metadata.infer(real))


def test_check_inf_raises(real: pd.DataFrame) -> None:
    bad = real.copy()
    bad.loc[3, "a"] = np.inf
    with pytest.raises(InvalidDataError, match="column 'a' must hold finite numbers or nulls; got inf"):
        evaluate_detection(real, bad, Metadata.infer(real))


def test_check_all_null_column_raises(real: pd.DataFrame) -> None:
    with pytest.raises(InvalidDataError, match="column 'a' must have at least one non-null value"):
        evaluate_fidelity(real, real.assign(a=np.nan), Metadata.infer(real))


def test_check_non_numeric_values_raise(real: pd.DataFrame) -> None:
    with pytest.raises(InvalidDataError, match="column 'a' must be numeric"):
        evaluate_fidelity(real, real.assign(a="oops"), Metadata.infer(real))


def test_check_lists_every_problem(real: pd.DataFrame) -> None:
    with pytest.raises(InvalidDataError) as info:
        evaluate_privacy(real, real.iloc[:0], real[["a"]], Metadata.infer(real))
    assert len(info.value.problems) == 2


def test_check_wrong_metadata_type_raises(real: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="metadata must be a finloom.data.Metadata"):
        evaluate_fidelity(real, real, {"a": "numerical"})  # type: ignore[arg-type]


def test_nulls_are_accepted_and_inputs_untouched(real: pd.DataFrame) -> None:
    syn = real.copy()
    syn.loc[:9, "a"] = np.nan
    syn.loc[10:14, "b"] = None
    before = syn.copy()
    rep = QualityReport.generate(real, syn, Metadata.infer(real), holdout=real, plots=False)
    assert 0.0 < rep.fidelity.score < 1.0
    pd.testing.assert_frame_equal(syn, before)
