"""Oracle Container Engine for Kubernetes (OKE) provider for cloudposture."""
