"""The nightly job's config file: models, a loader that names file:line:key, an example."""

from cloudposture.config.loader import ConfigFileError, format_path, load_config, parse_config
from cloudposture.config.models import (
    AwsOrganization,
    AwsTarget,
    AzureTarget,
    Concurrency,
    GcpTarget,
    NightlyConfig,
    SuppressionMatch,
    SuppressionRule,
)

__all__ = [
    "AwsOrganization",
    "AwsTarget",
    "AzureTarget",
    "Concurrency",
    "ConfigFileError",
    "GcpTarget",
    "NightlyConfig",
    "SuppressionMatch",
    "SuppressionRule",
    "format_path",
    "load_config",
    "parse_config",
]
