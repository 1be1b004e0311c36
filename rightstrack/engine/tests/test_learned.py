"""The rule-backed model learns, label by label, where the rules fall short, and keeps the rules
where it has too little to learn from."""

from __future__ import annotations

from rightstrack.engine.analyse.learned import RuleBackedModel


def _rules(text: str) -> set[str]:
    return {"children"} if "child" in text.lower() else set()


TRAIN = (
    [(f"Protect the rights of the child number {i} in schools", {"children"}) for i in range(12)]
    + [
        (f"Improve conditions in prison block {i} and for detainees", {"detainees"})
        for i in range(12)
    ]
    + [(f"Adopt a budget line {i} for public libraries", set()) for i in range(12)]
)


def test_it_learns_a_label_the_rules_never_give() -> None:
    texts = [t for t, _ in TRAIN]
    labels = [g for _, g in TRAIN]
    model = RuleBackedModel(_rules).fit(texts, labels, folds=[i % 3 for i in range(len(texts))])

    found = model.predict(
        ["Improve conditions in prison block 99 and for detainees", "Protect every child"]
    )

    assert "detainees" in found[0]
    assert "children" in found[1]
    assert model.choice["children"][0] in ("rules", "or", "and", "model")


def test_a_label_seen_too_rarely_keeps_the_rules() -> None:
    texts = ["Protect the child", "Fund libraries", "Fund museums", "Fund parks"]
    labels = [{"children"}, set(), set(), {"culture"}]
    model = RuleBackedModel(_rules, min_positives=5).fit(texts, labels)

    assert model.predict(["A child in need", "Fund theatres"]) == [{"children"}, set()]
