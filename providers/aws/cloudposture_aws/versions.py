"""EKS standard-support data, for when eks:DescribeClusterVersions cannot answer.

eks:DescribeClusterVersions (``versionStatus``) is the authority and is asked first; this table
is the fallback for endpoints that do not serve that operation (older partitions, emulators)
or callers who may not call it.

Source: "Understand the Kubernetes version lifecycle on EKS", Amazon EKS User Guide,
https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (release calendar),
cross-checked against https://endoflife.date/amazon-eks. Table as of 2026-11-23.
A minor version gets 14 months of standard support, then 12 months of extended support.
"""

from __future__ import annotations

from datetime import date

TABLE_DATE = date(2026, 11, 23)

END_OF_STANDARD_SUPPORT: dict[str, date] = {
    "1.18": date(2022, 3, 31),
    "1.19": date(2022, 8, 1),
    "1.20": date(2022, 11, 1),
    "1.21": date(2023, 2, 15),
    "1.22": date(2023, 6, 4),
    "1.23": date(2023, 10, 11),
    "1.24": date(2024, 1, 31),
    "1.25": date(2024, 5, 1),
    "1.26": date(2024, 6, 11),
    "1.27": date(2024, 7, 24),
    "1.28": date(2024, 11, 26),
    "1.29": date(2025, 3, 23),
    "1.30": date(2025, 7, 23),
    "1.31": date(2025, 11, 26),
    "1.32": date(2026, 3, 23),
    "1.33": date(2026, 7, 29),
    "1.34": date(2026, 12, 2),
    "1.35": date(2027, 3, 27),
}


def minor_version(version: str) -> tuple[int, int] | None:
    """``"1.29"`` / ``"1.29.3"`` / ``"v1.29"`` -> ``(1, 29)``; None when unparsable."""
    parts = version.strip().lstrip("v").split(".")
    try:
        return int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return None


def newest_in_table() -> tuple[int, int]:
    return max(v for v in (minor_version(k) for k in END_OF_STANDARD_SUPPORT) if v is not None)
