"""`transkit db status` and `transkit db migrate`: where the stores live and their schema."""

from __future__ import annotations

import json

import click

from transkit.cli.common import console, escape, print_folded, run_guarded


def register(group: click.Group) -> None:
    @group.group("db")
    def db_group():
        """The stores' database: SQLite files in the data folder, or PostgreSQL
        (TRANSKIT_DATABASE_URL or [store] url in the config)."""

    @db_group.command("status")
    @click.option("--url", help="A PostgreSQL URL (default: TRANSKIT_DATABASE_URL, then [store] url).")
    @click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
    @run_guarded
    def db_status(url, as_json):
        """Where each store lives and which schema steps are applied or pending. Changes nothing."""
        from transkit.store.db import schema_status

        from transkit.store.states import default_who

        statuses = schema_status(url)
        if as_json:
            click.echo(json.dumps([s.as_dict() for s in statuses], indent=2))
            return
        # what review actions, edits and fills are recorded under ([identity] or the login name)
        console.print(f"you are recorded as {escape(default_who())}")
        for status in statuses:
            if not status.exists:
                state = "not created yet (made on first use)"
            elif status.pending:
                state = (f"{len(status.pending)} step{'s' if len(status.pending) != 1 else ''} pending: "
                         "run `transkit db migrate`")
            else:
                state = "up to date"
            _print_component(status, state, [("pending", step) for step in (status.pending if status.exists else ())])

    @db_group.command("migrate")
    @click.option("--url", help="A PostgreSQL URL (default: TRANSKIT_DATABASE_URL, then [store] url).")
    @click.option("--json", "as_json", is_flag=True, help="Print what was applied as JSON.")
    @run_guarded
    def db_migrate(url, as_json):
        """Create or upgrade every store's schema. On PostgreSQL run it as the role that owns the
        schema; translators' plain roles then need only read/write rights."""
        from transkit.store.db import migrate_all

        done = migrate_all(url)
        if as_json:
            click.echo(json.dumps([{**status.as_dict(), "applied_now": [m.version for m in steps]}
                                   for status, steps in done], indent=2))
            return
        for status, steps in done:
            what = f"{len(steps)} step{'s' if len(steps) != 1 else ''} applied" if steps else "already up to date"
            _print_component(status, what, [("applied", step) for step in steps])


INDENT = 9  # under the component's name: its location and steps


def _print_component(status, state: str, steps) -> None:
    """A component's line (name, backend, schema version, state), its location, then one line per
    schema step: each folded at the terminal's width under its own indent."""
    print_folded(f"{status.component:<8} {status.backend:<10} schema {max(status.applied, default=0)}/"
                 f"{status.latest}  {escape(state)}", hang=INDENT)
    # a file or a URL (password masked): folded after "/", "?" or "&" only when it must be
    print_folded(escape(status.location), indent=INDENT, hang=2, after="/?&")
    for label, step in steps:
        print_folded(f"{label} {step.version}: {escape(step.summary)}", indent=INDENT, hang=2)
