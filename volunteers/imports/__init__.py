"""Spreadsheet imports of volunteers and service records (validated, then run as a task)."""
