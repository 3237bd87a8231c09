"""The demo workspace's intent tables: a classifier trained on them in the workbench is sensible."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.apps.customer_service._demo_intents import demo_intents_table


def test_tables_are_one_language_each_with_every_intent():
    en, zh = demo_intents_table("en"), demo_intents_table("zh")
    assert en["label"].nunique() == zh["label"].nunique() == 10
    assert en["label"].value_counts().min() >= 40 and zh["label"].value_counts().min() >= 40
    assert not en["text"].str.contains("[\u4e00-\u9fff]").any() and zh["text"].str.contains("[\u4e00-\u9fff]").all()
    assert demo_intents_table("en").equals(en)


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_a_frozen_minilm_classifier_on_the_english_table_is_accurate():
    from sklearn.model_selection import train_test_split

    from finloom.nlp import TextClassifier

    table = demo_intents_table("en", per_intent=20)
    train, test = train_test_split(table, test_size=0.25, random_state=0, stratify=table["label"])
    clf = TextClassifier(random_state=0).fit(list(train["text"]), list(train["label"]))
    accuracy = float(np.mean(clf.predict(list(test["text"])) == test["label"].to_numpy()))
    assert accuracy >= 0.85  # the seeds alone gave 0.57 in the workbench
    assert list(clf.predict(["I lost my card", "please freeze my card", "talk to a person"])) == [
        "lost_card", "freeze_card", "human_agent"]
