"""The durable SIEM outbox: queue a scan's events in the state store, deliver them through
the sinks, retry what a dead SIEM refused. Sits above both ``store`` and ``sinks``."""
