"""cloudposture's Google Kubernetes Engine provider (distribution ``cloudposture-gcp``).

Importing this package is cheap: the Google SDKs are imported only when a GCP scan runs.
"""
