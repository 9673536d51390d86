"""docs/rules is generated from the metadata; the committed files must equal the generator's."""

from __future__ import annotations

from pathlib import Path

from cloudposture.rules.catalog import ALL_RULES, get_rule
from cloudposture.rules.docs import main, render_all, render_rule_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def test_committed_docs_match_the_generator() -> None:
    expected = render_all(ALL_RULES)
    committed = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}

    assert sorted(committed) == sorted(expected), (
        "run: python -m cloudposture.rules.docs docs/rules"
    )
    for name, text in expected.items():
        assert committed[name] == text, f"{name} is stale: regenerate docs/rules"


def test_rule_page_shows_judgement_fixes_and_not_applicable() -> None:
    page = render_rule_markdown(get_rule("NODE-004"))

    assert page.startswith("<!-- Generated")
    assert "# NODE-004: SSH remote access on node pools without a source restriction" in page
    assert "| Applies to | aws" in page  # and any other installed cloud with SSH keys on pools
    assert "FAIL when a node pool has the provider's SSH remote access on" in page
    assert "aws eks create-nodegroup" in page
    assert "## Google Cloud (GKE)\n\nNot applicable: GKE has no node-pool SSH switch" in page


def test_main_writes_and_prunes(tmp_path: Path) -> None:
    stale = tmp_path / "OLD-001.md"
    stale.write_text("gone", encoding="utf-8")
    keep = tmp_path / "README.txt"
    keep.write_text("not ours", encoding="utf-8")

    assert main([str(tmp_path)]) == 0

    assert not stale.exists()
    assert keep.exists()
    assert (tmp_path / "index.md").read_text(encoding="utf-8").count("](") == len(ALL_RULES)
    assert len(list(tmp_path.glob("*-0*.md"))) == len(ALL_RULES)


def test_main_usage_error() -> None:
    assert main([]) == 2
