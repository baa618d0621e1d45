"""Volunteer events: shifts, sign-ups, QR check-in, and the hours a shift turns into."""
