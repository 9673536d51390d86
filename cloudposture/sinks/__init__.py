"""SIEM sinks and the durable outbox that feeds them."""
