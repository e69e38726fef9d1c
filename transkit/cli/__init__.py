"""The batch face: ``transkit <command>`` (click + rich). Thin: parse, call a job, render."""
