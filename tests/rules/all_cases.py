"""Every rule case, gathered so the catalogue test can check each rule has PASS and FAIL."""

from __future__ import annotations

from . import cases_api_server, cases_data, cases_identity, cases_nodes, cases_path
from .builders import Case

ALL_CASES: list[Case] = [
    *cases_api_server.CASES,
    *cases_nodes.CASES,
    *cases_identity.CASES,
    *cases_data.CASES,
    *cases_path.CASES,
]
