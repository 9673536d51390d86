"""cloudposture provider for Azure Kubernetes Service (AKS).

Importing this package imports no Azure SDK: the SDKs load only when an Azure scan runs.
"""
