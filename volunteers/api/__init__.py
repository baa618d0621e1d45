"""The units' API (mounted under /api/v1/): unit keys, volunteers, bulk service records, totals."""
