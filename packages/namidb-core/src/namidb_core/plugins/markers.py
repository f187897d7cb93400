"""The pluggy markers of the ``namidb`` project.

A backend distribution decorates its hook implementations with
:data:`hookimpl`::

    from namidb_core.plugins import hookimpl

    @hookimpl
    def namidb_register_object_stores():
        return [MyStore]
"""

from __future__ import annotations

import pluggy

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

#: The pluggy project name; hook implementations must use markers of this name.
PROJECT_NAME = "namidb"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
