"""Team roles: who may approve. The one place the rule is written; every way of approving asks it.

Roles are off until someone is given one (``transkit team set NAME reviewer``): then a person listed
as ``reviewer`` may approve (``review --approve``, the TUI's approve, ``fill --trust-exact``, which
writes memory matches as finished) and change roles; everyone else — listed as ``translator`` or not
listed at all — may translate, fill and mark fuzzy, and their work waits for a reviewer. A person is
their ``[identity] name`` (``TRANSKIT_TRANSLATOR_NAME``), else their login name. Roles live with the
review state, so on a shared PostgreSQL database they hold for the whole team. They keep honest
people in their lane; they are not a security boundary against someone who can write the database
(that is the database's own roles, see README "Working as a team").
"""

from __future__ import annotations

import getpass

from transkit.config import Identity, load_config
from transkit.errors import ExitCode, TranskitError
from transkit.store import ReviewStore

TRANSLATOR = "translator"
REVIEWER = "reviewer"
ROLES = (TRANSLATOR, REVIEWER)


class RoleError(TranskitError):
    """A person's role does not allow what they asked (approve, change roles)."""

    exit_code = ExitCode.CONFIG


def person(identity: Identity | None = None) -> str:
    """Who the roles know you as: ``[identity] name``, else the login name."""
    if identity is None:
        identity = load_config().identity
    if identity.name:
        return identity.name
    try:
        return getpass.getuser()
    except Exception:  # no login name (a container without a passwd entry)
        return ""


def role_of(roles: dict[str, str], who: str) -> str | None:
    """None while the team uses no roles; else the person's role (unlisted: translator)."""
    if not roles:
        return None
    return roles.get(who, TRANSLATOR)


def approval_refusal(store: ReviewStore, identity: Identity | None = None) -> str | None:
    """Why this person may not approve, or None when they may."""
    who = person(identity)
    role = role_of(store.roles(), who)
    if role in (None, REVIEWER):
        return None
    listed = "is a translator" if who else "has no name (set [identity] name)"
    return (f"{who or 'you'} {listed} in this team's roles: only a reviewer approves "
            f"(a reviewer runs `transkit team set {who or 'NAME'} reviewer`, or approves the entries)")


def check_may_approve(store: ReviewStore, identity: Identity | None = None) -> None:
    refusal = approval_refusal(store, identity)
    if refusal:
        raise RoleError(refusal)


def set_role(store: ReviewStore, who: str, role: str | None, identity: Identity | None = None) -> dict[str, str]:
    """Give ``who`` a role (None: take theirs away); returns the roles now. While the team has no
    roles anyone may set the first; after that only a reviewer may change them, and the last
    reviewer may not leave while others hold a role (nobody could approve then)."""
    who = who.strip()
    if not who:
        raise RoleError("a role needs a person's name (as in their [identity] name)")
    if role is not None and role not in ROLES:
        raise RoleError(f"unknown role {role!r}: a person is a {' or a '.join(ROLES)}")
    me = person(identity)

    def allowed(current: dict[str, str]) -> None:
        if current and current.get(me) != REVIEWER:
            raise RoleError(f"{me or 'you'} may not change roles: only a reviewer does "
                            f"(reviewers: {', '.join(p for p, r in sorted(current.items()) if r == REVIEWER)})")
        after = dict(current)
        if role is None:
            after.pop(who, None)
        else:
            after[who] = role
        if after and REVIEWER not in after.values():
            raise RoleError(f"{who} is the last reviewer: give someone else the reviewer role first, "
                            "or take everyone's role away to stop using roles")

    return store.set_roles({who: role}, by=me or "unknown", check=allowed)
