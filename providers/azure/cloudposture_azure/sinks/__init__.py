"""SIEM sinks that need the Azure SDK: Microsoft Sentinel through the Logs Ingestion API
(``sentinel://``), registered under the ``cloudposture.sinks`` entry-point group."""
