"""cloudposture's Amazon EKS provider: boto3 in, the provider-neutral cluster posture out."""
