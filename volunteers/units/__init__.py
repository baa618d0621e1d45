"""Volunteer units (運用單位): registration, their yearly service plans (備案) and the two-stage
review, the units' pages and their year-end results."""
