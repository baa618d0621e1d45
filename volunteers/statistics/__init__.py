"""Volunteer statistics: the one definition of the figures the statistics pages and the
dashboard show."""
