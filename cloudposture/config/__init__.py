"""The nightly job's config file: models, a loader that names file:line:key, an example.

Each cloud's ``targets.<cloud>`` entry is that provider's own model (its plugin's
``target_model``); :func:`config_model` assembles them with the core's sections.
"""

from cloudposture.config.loader import ConfigFileError, format_path, load_config, parse_config
from cloudposture.config.models import (
    Concurrency,
    NightlyConfig,
    SuppressionMatch,
    SuppressionRule,
    config_model,
)

__all__ = [
    "Concurrency",
    "ConfigFileError",
    "NightlyConfig",
    "SuppressionMatch",
    "SuppressionRule",
    "config_model",
    "format_path",
    "load_config",
    "parse_config",
]
