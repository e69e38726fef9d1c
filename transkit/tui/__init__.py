"""The review TUI (Textual). The only package that imports textual."""
