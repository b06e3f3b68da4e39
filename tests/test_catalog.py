"""The advice catalogue: every ADVICE.md topic is covered, and docs/advice.md is current."""

from __future__ import annotations

import re

from click.testing import CliRunner

from bounceback.api import Bounceback
from bounceback.authoring.catalog import render_catalog
from bounceback.cli import cli
from conftest import ADVICE, ROOT, shared


def advice_topics(cited: str = r"\d") -> dict[str, str]:
    """Topic id → category, from the ADVICE.md table rows whose "cited" matches ``cited``
    (the articles' topics by default; ``"."`` adds the DESIGN §6a–6c additions)."""
    rows = re.findall(rf"^\| ([a-z-]+) \| ([a-z-]+) \| {cited}", shared(ADVICE).read_text("utf-8"), re.M)
    return dict(rows)


def test_every_advice_topic_is_covered_by_a_rule_of_its_category(app: Bounceback) -> None:
    topics = advice_topics()
    assert len(topics) >= 25
    covered = {(t, r.category) for p in app.packs for r in p.rules for t in r.topics}
    missing = [t for t, category in topics.items() if (t, category) not in covered]
    assert missing == []


def test_rules_only_use_known_topics_and_are_well_formed(app: Bounceback) -> None:
    topics = advice_topics(".")
    for pack in app.packs:
        for rule in pack.rules:
            assert rule.topics and set(rule.topics) <= set(topics), rule.id
            assert 2 <= len(rule.actions) <= 5, rule.id
            assert rule.when, f"{rule.id} fires for everyone"


def test_docs_advice_md_is_generated_from_the_packs(app: Bounceback) -> None:
    assert (ROOT / "docs" / "advice.md").read_text("utf-8") == render_catalog(app.packs), (
        "run: bounceback packs catalog -o docs/advice.md"
    )


def test_catalog_command() -> None:
    result = CliRunner().invoke(cli, ["packs", "catalog"])
    assert result.exit_code == 0
    assert "| `support.professional-help` (pinned) |" in result.output
