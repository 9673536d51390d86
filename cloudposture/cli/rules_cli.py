"""``cloudposture rules list|show``: the catalogue for people (docs/rules is the same text)."""

from __future__ import annotations

import json

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from cloudposture.model import ConfigurationError
from cloudposture.rules.base import ROWS
from cloudposture.rules.catalog import ALL_RULES, RULES_BY_ID
from cloudposture.rules.docs import render_rule_markdown
from cloudposture.rules.guidance import installed_guidance


def print_rule_list(fmt: str, console: Console) -> None:
    catalog = installed_guidance()
    if fmt == "json":
        rows = [
            {
                "id": r.meta.id,
                "title": r.meta.title,
                "row": r.meta.row,
                "severity": r.meta.severity.value,
                "providers": catalog.applies_to(r.meta.id),
            }
            for r in ALL_RULES
        ]
        console.print_json(json.dumps(rows))
        return
    table = Table(title="cloudposture rules")
    for column in ("id", "row", "severity", "title", "applies to"):
        table.add_column(column)
    for r in ALL_RULES:
        applies = ", ".join(catalog.applies_to(r.meta.id))
        table.add_row(r.meta.id, r.meta.row, r.meta.severity.value, r.meta.title, applies)
    console.print(table)
    console.print("rows: " + "; ".join(f"{k} = {v}" for k, v in ROWS.items()))


def print_rule(rule_id: str, console: Console) -> None:
    rule = RULES_BY_ID.get(rule_id.upper())
    if rule is None:
        raise ConfigurationError(f"unknown rule id '{rule_id}' (see 'cloudposture rules list')")
    console.print(Markdown(render_rule_markdown(rule)))
