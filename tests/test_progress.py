"""ProgressLines: plain progress lines at most every few seconds, at each epoch's end and at the end."""

from __future__ import annotations

from finloom._progress import ProgressLines, format_duration


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _lines(interval: float = 5.0) -> tuple[ProgressLines, list[str], Clock]:
    out: list[str] = []
    clock = Clock()
    return ProgressLines("training", out.append, interval=interval, clock=clock, stamp=lambda: "T"), out, clock


def test_progress_lines_are_throttled_to_one_per_interval():
    progress, out, clock = _lines(interval=5.0)
    for step in range(100):  # one update every 0.1 s for 10 s, all in one epoch
        clock.now = step * 0.1
        progress(step / 200, f"epoch 1/2 step {step + 1}/200 loss 0.5")
    assert len(out) == 2  # t=0 and t=5
    assert out[0] == "T training:   0% epoch 1/2 step 1/200 loss 0.5 (elapsed 0s)"
    assert out[1] == "T training:  25% epoch 1/2 step 51/200 loss 0.5 (elapsed 5s, ETA 15s)"


def test_progress_lines_mark_each_epoch_end_and_the_end():
    progress, out, clock = _lines(interval=60.0)
    for epoch in (1, 2, 3):
        for step in (1, 2):
            clock.now += 1
            progress(((epoch - 1) * 2 + step) / 6 * 0.9, f"epoch {epoch}/3 step {step}/2")
    clock.now += 1
    progress(1.0, "saved")
    assert [line.split("% ")[1].split(" (")[0] for line in out] == [
        "epoch 1/3 step 1/2", "epoch 1/3 step 2/2", "epoch 2/3 step 2/2", "epoch 3/3 step 2/2", "saved"]


def test_progress_lines_flush_writes_a_held_back_update_once():
    progress, out, clock = _lines()
    progress(0.1, "chunk 1/3")
    clock.now = 1
    progress(0.6, "chunk 2/3")
    progress.flush()
    progress.flush()
    assert [line.split("% ")[1].split(" (")[0] for line in out] == ["chunk 1/3", "chunk 2/3"]


def test_format_duration():
    assert [format_duration(s) for s in (0, 59.4, 60, 3599, 3600, 86400)] == ["0s", "59s", "1m00s", "59m59s",
                                                                              "1h00m", "24h00m"]


def test_progress_lines_one_update_per_epoch_is_throttled_like_steps():
    progress, out, clock = _lines(interval=5.0)
    for epoch in range(1, 301):  # a GAN reporting once per 0.5 s epoch
        clock.now = epoch * 0.5
        progress(epoch / 300, f"epoch {epoch}/300 loss_g 1.0")
    assert len(out) == 31  # every 5 s (10 epochs), plus the end
