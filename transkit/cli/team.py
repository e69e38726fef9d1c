"""`transkit team`: the team's roles (translator, reviewer) — who may approve."""

from __future__ import annotations

import json

import click

from transkit.cli.common import console, err_console, escape, run_guarded


def register(group: click.Group) -> None:
    @group.group("team")
    def team_group():
        """Roles of a team sharing one review state: a reviewer approves, a translator translates.

        Off until someone is given a role; then only reviewers approve (review --approve, the TUI,
        fill --trust-exact) and change roles, and everyone not listed is a translator. A person is
        their [identity] name (TRANSKIT_TRANSLATOR_NAME), else their login name.
        """

    @team_group.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print the roles as JSON.")
    @run_guarded
    def team_list(as_json):
        """Who holds which role, and who you are."""
        from transkit.jobs.team import person, role_of
        from transkit.store import ReviewStore

        with ReviewStore.open() as store:
            roles = store.roles()
        me = person()
        if as_json:
            click.echo(json.dumps({"roles": roles, "you": me, "your_role": role_of(roles, me)}, indent=2))
            return
        if not roles:
            console.print(f"no roles: everyone may approve (you are {escape(me)})")
            return
        for who, role in roles.items():
            console.print(f"{escape(who):<30} {role}")
        console.print(f"you are {escape(me)}: {role_of(roles, me)}")

    @team_group.command("set")
    @click.argument("name")
    @click.argument("role", type=click.Choice(["translator", "reviewer"]))
    @run_guarded
    def team_set(name, role):
        """Give NAME a ROLE (the first role set turns roles on; then only a reviewer sets them)."""
        from transkit.jobs.team import REVIEWER, TRANSLATOR, person, role_of, set_role
        from transkit.store import ReviewStore

        with ReviewStore.open() as store:
            roles = set_role(store, name, role)
        console.print(f"{escape(name)} is a {role}")
        me = person()
        if role_of(roles, me) == TRANSLATOR:  # the first role set someone else's: you just lost approving
            reviewers = ", ".join(who for who, held in sorted(roles.items()) if held == REVIEWER)
            err_console.print(f"[yellow]note:[/] roles are on now and you ({escape(me or 'no name')}) are a "
                              f"translator: from now on only {escape(reviewers)} approves and sets roles")

    @team_group.command("remove")
    @click.argument("name")
    @run_guarded
    def team_remove(name):
        """Take NAME's role away (taking everyone's away turns roles off)."""
        from transkit.jobs.team import set_role
        from transkit.store import ReviewStore

        with ReviewStore.open() as store:
            roles = set_role(store, name, None)
        console.print(f"{escape(name)} has no role now" + ("" if roles else "; the team uses no roles"))
