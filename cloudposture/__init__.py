"""cloudposture: the cloud layer of managed Kubernetes, checked against the infrastructure table."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cloudposture")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+local"
