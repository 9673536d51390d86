"""Alibaba Cloud Container Service for Kubernetes (ACK) provider for cloudposture."""
