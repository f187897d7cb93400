"""The storage plugin contract: how a distribution adds a URI scheme to namidb.

A storage backend is a distribution that

1. implements :class:`namidb_core.objectstore.ObjectStore` (a narrow, typed
   interface whose ``put_if_absent`` must be race-free: exactly one of any
   number of concurrent callers wins);
2. declares, on that class, the URI schemes it serves in ``schemes`` and how to
   open itself from a parsed :class:`namidb_core.uri.StoreURI` in ``from_uri``;
3. exposes a module with a :func:`namidb_register_object_stores` hook
   implementation, and names that module in its packaging metadata under the
   entry-point group ``namidb.storage``::

       [project.entry-points."namidb.storage"]
       s3 = "namidb_s3.plugin"

4. proves itself by subclassing the conformance classes in
   :mod:`namidb_core.testing` in its own tests.

namidb's own ``memory://`` and ``file://`` stores register through this same
hook. Entry points are loaded lazily, the first time a URI names a scheme that
is not built in, and two plugins claiming one scheme is an error naming both
distributions. Importing a plugin module should be cheap: import the cloud SDK
inside ``from_uri``, not at module level.
"""

from __future__ import annotations

from collections.abc import Sequence

from namidb_core.objectstore.base import ObjectStore
from namidb_core.plugins.markers import hookspec

__all__ = ["namidb_register_object_stores"]


@hookspec
def namidb_register_object_stores() -> Sequence[type[ObjectStore]]:  # type: ignore[empty-body]
    """Return the :class:`~namidb_core.objectstore.ObjectStore` classes this plugin provides.

    Each class lists the URI schemes it serves in its ``schemes`` attribute
    (lower case, e.g. ``("s3",)``) and builds itself from a parsed URI in its
    ``from_uri`` classmethod. Return an empty sequence to provide nothing.
    """
