"""`transkit db status` and `transkit db migrate`: where the stores live and their schema."""

from __future__ import annotations

import json

import click

from transkit.cli.common import console, escape, run_guarded


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
            version = max(status.applied, default=0)
            if not status.exists:
                state = "not created yet (made on first use)"
            elif status.pending:
                state = f"{len(status.pending)} step(s) pending — run `transkit db migrate`"
            else:
                state = "up to date"
            console.print(f"{status.component:<8} {status.backend:<10} schema {version}/{status.latest}  {state}")
            console.print(f"         {escape(status.location)}")
            for step in status.pending if status.exists else ():
                console.print(f"         pending {step.version}: {escape(step.summary)}")

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
            what = ", ".join(f"{m.version} ({m.summary})" for m in steps) if steps else "already up to date"
            console.print(f"{status.component:<8} {status.backend:<10} schema {max(status.applied, default=0)}"
                          f"/{status.latest}  {escape(what)}")
            console.print(f"         {escape(status.location)}")
