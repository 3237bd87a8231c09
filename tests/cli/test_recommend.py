"""``finloom recommend fit|for-customer``: a fitted model, a customer's offers; an unknown customer fails cleanly."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from finloom.cli.main import app

runner = CliRunner()


def test_fit_then_offers_for_a_customer() -> None:
    fit = runner.invoke(app, ["recommend", "fit", "--recommender", "popularity", "--customers", "100", "--name", "pop"])
    assert fit.exit_code == 0, fit.output
    assert "saved pop v1 (popularity, 100 customers)" in fit.output
    shown = runner.invoke(app, ["recommend", "for-customer", "C000005", "--model", "pop", "--k", "2", "--json"])
    assert shown.exit_code == 0, shown.output
    body = json.loads(shown.output)
    assert body["customer_id"] == "C000005" and len(body["offers"]) == 2
    bad = runner.invoke(app, ["recommend", "for-customer", "nobody", "--model", "pop"])
    assert bad.exit_code == 1 and "customer_id must be a customer of this model" in bad.output
    zero = runner.invoke(app, ["recommend", "for-customer", "C000005", "--model", "pop", "--k", "0"])
    assert zero.exit_code == 1 and "--k must be an int in [1, 20]" in zero.output
