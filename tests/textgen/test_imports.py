from __future__ import annotations

import subprocess
import sys


def test_importing_textgen_and_apps_is_light() -> None:
    code = ("import sys, finloom.textgen, finloom.apps.compliance, finloom.apps.reports; "
            "print(sorted(m for m in ('torch', 'transformers', 'openai', 'arch', 'weasyprint', "
            "'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
