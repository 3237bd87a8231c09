"""The fine-tuning loop's helpers."""

from __future__ import annotations

import json
from pathlib import Path

from finloom.nlp._finetune import default_finetune_learning_rate


def test_default_finetune_learning_rate_follows_encoder_size(tmp_path: Path) -> None:
    for hidden, expected in [(384, 1e-4), (768, 3e-5)]:
        folder = tmp_path / f"h{hidden}"
        folder.mkdir()
        (folder / "config.json").write_text(json.dumps({"hidden_size": hidden}))
        (folder / "model.safetensors").write_bytes(b"")
        assert default_finetune_learning_rate(str(folder)) == expected
    assert default_finetune_learning_rate(None) == 1e-4  # the bundled MiniLM
