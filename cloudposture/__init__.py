"""cloudposture: the cloud layer of managed Kubernetes, checked against the infrastructure table."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``__version__`` on first use: importlib.metadata is too slow for ``--help`` to pay."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("cloudposture")
        except PackageNotFoundError:  # running from a source tree without an install
            return "0.0.0+local"
    raise AttributeError(f"module 'cloudposture' has no attribute '{name}'")
