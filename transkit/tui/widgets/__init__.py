"""Widgets of the transkit TUI."""
