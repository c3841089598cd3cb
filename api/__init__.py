"""The REST API (/api/v1), wire-compatible with Flasky's."""
