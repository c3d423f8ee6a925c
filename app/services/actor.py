"""Who acts: every write and workflow step names its actor. Until logins exist the actor is the
computer's own user; the workspace carries the actor of its session (ws.actor)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who takes a step: the login name (and, once logins exist, the role)."""

    name: str
    role: str = ""


def local_actor() -> Actor:
    try:
        return Actor(getpass.getuser())
    except Exception:  # no login name on some locked-down PCs
        return Actor("未知用户")
