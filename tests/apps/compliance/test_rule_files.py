from __future__ import annotations

from pathlib import Path

import pytest

from finloom.apps.compliance import audit_text, load_rule_pack
from finloom.errors import ConfigError


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "custom.yaml"
    path.write_text("rules:\n  - id: A\n    patterns: ['x'\n  - id: B\n")
    with pytest.raises(ConfigError, match=r"custom\.yaml, line \d+: the file must be valid YAML"):
        load_rule_pack(path)


def test_bad_regex_and_missing_fields_name_line(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    body = ("rules:\n"
            "  - {id: OK, type: pattern, category: c, severity: low, explanation: e, patterns: ['a']}\n"
            "  - id: BAD\n    type: pattern\n    category: c\n    severity: low\n    explanation: e\n"
            "    patterns: ['(unclosed']\n")
    path.write_text(body)
    with pytest.raises(ConfigError, match=r"r\.yaml, line 3: rule 'BAD' patterns regex must compile"):
        load_rule_pack(path)
    path.write_text("rules:\n  - id: X\n    type: pattern\n    category: c\n    severity: urgent\n"
                    "    explanation: e\n    patterns: ['a']\n")
    with pytest.raises(ConfigError, match="line 2: rule 'X' severity must be one of"):
        load_rule_pack(path)


def test_custom_rule_file_applies(tmp_path: Path) -> None:
    path = tmp_path / "house.yaml"
    path.write_text("pack: house\nrules:\n  - id: HOUSE-1\n    type: pattern\n    category: prohibited\n"
                    "    severity: high\n    explanation: Do not mention crypto.\n    patterns: ['\\bcrypto\\b']\n")
    assert [f.rule_id for f in audit_text("Ask us about crypto.", rule_files=[path])] == ["HOUSE-1"]
