"""synth_tabular's comparator reader: epochs trained and stopping reason from a run's log and notes."""

from __future__ import annotations

from benchmarks import docs
from benchmarks.synth_tabular import training_record

_MOSTLY_LOG = """[2026-12-07 07:45:37,122] INFO   : max_epochs=100
[2026-12-07 07:48:30,939] INFO   : {'epoch': 1.0, 'is_checkpoint': 1, 'val_loss': 60.1}
[2026-12-07 08:20:30,939] INFO   : early stopping: val_loss stopped improving
"""


def test_mostlyai_stop_reason_is_read_from_its_log() -> None:
    row = {"model": "TabularARGN", "fit_seconds": 1900.0,
           "notes": "max_training_time=120.0 min; mostlyai trained epochs ~27.00"}
    rec = training_record(row, _MOSTLY_LOG)
    assert rec == {"epochs_trained": 27.0,
                   "stop_reason": "early stopping (validation loss stopped improving; logged)"}


def test_mostlyai_time_cap_is_inferred_when_the_fit_used_the_whole_budget() -> None:
    row = {"model": "TabularARGN", "fit_seconds": 1041.5,
           "notes": "max_training_time=15.0 min; mostlyai trained epochs ~8.00"}
    assert training_record(row, "max_epochs=100\n")["stop_reason"].startswith("time cap (max_training_time=15 min")
    short = {**row, "fit_seconds": 800.5, "notes": "max_training_time=15.0 min; mostlyai trained epochs ~48.00"}
    assert training_record(short, None)["stop_reason"].startswith("early stopping (inferred")


def test_sdv_epochs_come_from_the_progress_bar() -> None:
    log = "Gen. (-1.0) | Discrim. (0.1): 100%|##########| 300/300 [55:01<00:00, 11.0s/it]\n"
    rec = training_record({"model": "CTGAN", "epochs": 300}, log)
    assert rec == {"epochs_trained": 300, "stop_reason": "fixed epoch count (300; SDV has no early stopping)"}
    assert training_record({"model": "GaussianCopula"}, None)["epochs_trained"] is None


def test_docs_table_shows_epochs_and_the_short_stop_reason() -> None:
    summary = {"epochs_trained": 27.0, "epochs": None,
               "stop_reasons": ["early stopping (validation loss stopped improving; logged)"]}
    assert docs._epochs(summary) == "27 (early stopping)"
    assert docs._epochs({"epochs": None, "stop_reasons": ["closed-form fit (no training epochs)"]}) == "– (closed-form fit)"
