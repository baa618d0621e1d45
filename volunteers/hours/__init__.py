"""Service hours: recording, the week grid, certification, corrections and the exports."""
