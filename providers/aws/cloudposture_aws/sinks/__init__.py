"""SIEM sinks that need boto3: Security Hub (``securityhub://``) and S3 (``s3://``).

Registered under the ``cloudposture.sinks`` entry-point group; the factories import boto3
only when a sink is built.
"""
