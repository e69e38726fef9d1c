"""Screens of the transkit TUI."""
