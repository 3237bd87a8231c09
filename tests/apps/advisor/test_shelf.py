"""Product shelf and suitability rules: bad shelves fail clearly, the matrix is enforced."""

from __future__ import annotations

import pytest
import yaml

from finloom.apps.advisor import SuitabilityError, load_shelf, load_suitability
from finloom.errors import InvalidDataError


def test_shelf_with_an_unknown_risk_rating_is_refused(tmp_path) -> None:
    path = tmp_path / "shelf.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "products": [
                    {"id": "X", "kind": "fund", "risk": "R6", "rate": 0.01, "en": "X"},
                    {"id": "Y", "kind": "fund", "risk": "R2", "en": "Y"},
                ]
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(InvalidDataError) as err:
        load_shelf(path)
    text = str(err.value)
    assert "product 'X' risk rating must be one of ['R1', 'R2', 'R3', 'R4', 'R5']; got 'R6'" in text
    assert "product 'Y' must have either a fixed 'rate' or 'assets' weights; got neither" in text


def test_shelf_basket_weights_must_sum_to_one(tmp_path) -> None:
    path = tmp_path / "shelf.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "products": [
                    {
                        "id": "B",
                        "kind": "etf",
                        "risk": "R3",
                        "assets": {"A": 0.5, "C": 0.4},
                        "en": "B",
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(InvalidDataError, match="asset weights must sum to 1"):
        load_shelf(path)


def test_matrix_allows_only_levels_at_or_below() -> None:
    rules, shelf = load_suitability(), load_shelf()
    for level, top in zip(("C1", "C2", "C3", "C4", "C5"), range(1, 6), strict=True):
        assert all(rules.is_suitable(level, p) == (p.risk_level <= top) for p in shelf.products)


def test_check_raises_for_an_unsuitable_holding() -> None:
    with pytest.raises(SuitabilityError, match="C1 customer must hold only"):
        load_suitability().check("C1", {"FUND-BANKS": 0.2, "DEP-CURRENT": 0.8}, load_shelf())
    load_suitability().check("C5", {"FUND-BANKS": 0.2, "DEP-CURRENT": 0.8}, load_shelf())
