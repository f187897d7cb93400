"""The one store-URI grammar shared by the Python client, the CLI and the server.

Accepted forms (DESIGN §3)::

    memory://<ns>
    file:///abs/dir?ns=<ns>            file://./rel/dir?ns=<ns>
    s3://<bucket>[/<prefix>]?ns=<ns>[&region=][&endpoint=][&allow_http=true]
    gs://<bucket>[/<prefix>]?ns=<ns>[&service_account=<path>][&endpoint=]
    az://<account>/<container>[/<prefix>]?ns=<ns>[&endpoint=][&allow_http=][&use_emulator=true]
    <plugin-scheme>://<location>[/<prefix>]?ns=<ns>[&<option>=<value>...]

``namespace`` is an alias of ``ns``. A namespace matches
``[a-z0-9][a-z0-9-]{0,62}``. A cloud URI without a prefix is rooted at
``tenants/``. Every error is an :class:`~namidb_core.errors.InvalidURIError`
(a ``ValueError``) whose message shows the accepted forms.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import parse_qsl, unquote, urlsplit

from namidb_core.errors import InvalidURIError, UnknownSchemeError

__all__ = [
    "CLOUD_DEFAULT_PREFIX",
    "FIRST_PARTY_SCHEMES",
    "NAMESPACE_PATTERN",
    "URI_FORMS",
    "StoreURI",
    "parse_uri",
    "validate_namespace",
]

NAMESPACE_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
CLOUD_DEFAULT_PREFIX = "tenants"

URI_FORMS = """accepted store URIs:
  memory://<ns>
  file:///abs/dir?ns=<ns>   |   file://./relative/dir?ns=<ns>
  s3://<bucket>[/<prefix>]?ns=<ns>[&region=..][&endpoint=..][&allow_http=true]
  gs://<bucket>[/<prefix>]?ns=<ns>[&service_account=<path>][&endpoint=..]
  az://<account>/<container>[/<prefix>]?ns=<ns>[&endpoint=..][&allow_http=true][&use_emulator=true]
  <plugin-scheme>://<location>[/<prefix>]?ns=<ns>   (schemes of installed plugins)
  <ns> matches [a-z0-9][a-z0-9-]{0,62}; 'namespace' is an alias of 'ns'"""

# Options each first-party scheme accepts besides ns/namespace.
_OPTIONS: dict[str, frozenset[str]] = {
    "memory": frozenset(),
    "file": frozenset(),
    "s3": frozenset({"region", "endpoint", "allow_http"}),
    "gs": frozenset({"service_account", "endpoint"}),
    "az": frozenset({"endpoint", "allow_http", "use_emulator"}),
}
_BOOLEAN_OPTIONS = frozenset({"allow_http", "use_emulator"})
#: Schemes whose grammar core knows, whether or not their backend is installed.
FIRST_PARTY_SCHEMES: frozenset[str] = frozenset(_OPTIONS)
_CLOUD_SCHEMES = frozenset({"s3", "gs", "az"})
_BUCKET = re.compile(r"[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]")
_AZ_ACCOUNT = re.compile(r"[a-z0-9]{3,24}")
# Azure's rule: 3-63 lower-case letters, digits and single dashes (Azurite enforces it too).
_AZ_CONTAINER = re.compile(r"[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*")


@dataclass(frozen=True)
class StoreURI:
    """A parsed store URI.

    Attributes:
        scheme: ``memory``, ``file``, ``s3``, ``gs``, ``az`` or a plugin's scheme.
        location: the bucket (s3, gs), the account (az), the absolute folder
            (file), the plugin's authority, or ``""`` for memory.
        container: the Azure container; ``None`` for other schemes.
        prefix: the root inside the bucket/container, without slashes at either
            end (``tenants`` by default on cloud schemes; ``""`` for file/memory).
        namespace: the namespace; its data lives under :attr:`namespace_prefix`.
        options: the remaining query parameters (``region``, ``endpoint``...).
        raw: the URI exactly as given.
    """

    scheme: str
    location: str
    namespace: str
    prefix: str = ""
    container: str | None = None
    options: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    raw: str = ""

    @property
    def namespace_prefix(self) -> str:
        """The key prefix of the namespace inside the store root, e.g. ``prod/``."""
        return f"{self.namespace}/"

    def option_bool(self, name: str, default: bool = False) -> bool:
        """Return a boolean option (``true``/``false``/``1``/``0``)."""
        value = self.options.get(name)
        if value is None:
            return default
        return value.lower() in ("1", "true", "yes")

    def redacted(self) -> str:
        """The URI rebuilt without secrets, for logs and ``store_repr()``."""
        root = self.location
        if self.container is not None:
            root = f"{root}/{self.container}"
        if self.prefix:
            root = f"{root}/{self.prefix}"
        if self.scheme == "file":
            return f"file://{root}?ns={self.namespace}"
        if self.scheme == "memory":
            return f"memory://{self.namespace}"
        return f"{self.scheme}://{root}?ns={self.namespace}"


def _fail(uri: str, why: str, cls: type[InvalidURIError] = InvalidURIError) -> InvalidURIError:
    return cls(f"invalid store URI {uri!r}: {why}\n{URI_FORMS}")


def validate_namespace(namespace: str, uri: str = "") -> str:
    """Return ``namespace`` if it matches ``[a-z0-9][a-z0-9-]{0,62}``, else raise."""
    if not isinstance(namespace, str) or not NAMESPACE_PATTERN.fullmatch(namespace):
        raise _fail(
            uri or str(namespace),
            f"namespace {namespace!r} must match [a-z0-9][a-z0-9-]{{0,62}} "
            "(lower-case letters, digits and '-', at most 63 characters)",
        )
    return namespace


def _query(uri: str, query: str) -> dict[str, str]:
    params: dict[str, str] = {}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError as e:
        raise _fail(uri, f"malformed query string {query!r}") from e
    for name, value in pairs:
        key = "ns" if name == "namespace" else name
        if key in params:
            raise _fail(uri, f"parameter {name!r} is given more than once")
        params[key] = value
    return params


def _split_path(path: str) -> list[str]:
    return [unquote(p) for p in path.split("/") if p]


def parse_uri(uri: str, *, plugin_schemes: frozenset[str] | None = None) -> StoreURI:
    """Parse a store URI into a :class:`StoreURI`.

    Args:
        uri: the URI, e.g. ``"s3://bucket/data?ns=prod&region=eu-west-1"``.
        plugin_schemes: schemes served by installed plugins. ``None`` asks the
            plugin manager (which loads entry points only for a scheme that is
            not first-party).

    Raises:
        InvalidURIError: malformed URI, missing or bad namespace, bad option.
        UnknownSchemeError: no first-party form or installed plugin knows it.
    """
    if not isinstance(uri, str):
        raise InvalidURIError(f"store URI must be a string, got {type(uri).__name__}\n{URI_FORMS}")
    text = uri.strip()
    if "://" not in text:
        raise _fail(uri, "expected '<scheme>://...'")
    scheme, _, rest = text.partition("://")
    scheme = scheme.lower()
    if not _SCHEME.fullmatch(scheme):
        raise _fail(uri, f"bad scheme {scheme!r}")
    if scheme not in FIRST_PARTY_SCHEMES:
        if plugin_schemes is None:
            from namidb_core.plugins.manager import registered_schemes

            plugin_schemes = registered_schemes()
        if scheme not in plugin_schemes:
            raise _fail(uri, f"unknown scheme {scheme!r}", UnknownSchemeError)
    if "#" in rest:
        raise _fail(uri, "fragments ('#...') are not allowed")
    path_part, _, query = rest.partition("?")
    params = _query(uri, query)

    if scheme == "memory":
        return _parse_memory(uri, path_part, params)
    namespace = params.pop("ns", None)
    if namespace is None:
        raise _fail(uri, "missing namespace: add '?ns=<namespace>'")
    validate_namespace(namespace, uri)
    if scheme in FIRST_PARTY_SCHEMES:
        allowed = _OPTIONS[scheme]
        unknown = sorted(set(params) - allowed)
        if unknown:
            accepted = ", ".join(sorted(allowed)) or "none"
            raise _fail(uri, f"unknown parameter(s) {unknown} for {scheme}:// (accepted: {accepted})")
        for name in _BOOLEAN_OPTIONS & set(params):
            if params[name].lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise _fail(uri, f"parameter {name!r} must be true or false, got {params[name]!r}")
        for name in ("endpoint",):
            if name in params:
                ep = urlsplit(params[name])
                if ep.scheme not in ("http", "https") or not ep.netloc:
                    raise _fail(uri, f"endpoint {params[name]!r} must be an http(s):// URL")
    options = MappingProxyType(dict(params))
    if scheme == "file":
        return _parse_file(uri, path_part, namespace, options)
    if scheme in _CLOUD_SCHEMES:
        return _parse_cloud(uri, scheme, path_part, namespace, options)
    # A plugin's URI: <scheme>://<authority>/<path>; the plugin interprets both.
    authority, _, path = path_part.partition("/")
    if not authority and not path.strip("/"):
        raise _fail(uri, f"{scheme}:// needs a location")
    return StoreURI(
        scheme=scheme,
        location=unquote(authority),
        prefix="/".join(_split_path(path)),
        namespace=namespace,
        options=options,
        raw=uri,
    )


def _parse_memory(uri: str, path_part: str, params: dict[str, str]) -> StoreURI:
    namespace = params.pop("ns", None)
    if params:
        raise _fail(uri, f"memory:// takes no parameters besides ns, got {sorted(params)}")
    name = path_part.strip("/")
    if name and namespace and name != namespace:
        raise _fail(uri, f"namespace given twice ({name!r} and {namespace!r})")
    name = name or namespace or ""
    if not name:
        raise _fail(uri, "missing namespace: write 'memory://<namespace>'")
    if "/" in name:
        raise _fail(uri, "memory://<namespace> takes no path")
    validate_namespace(name, uri)
    return StoreURI(scheme="memory", location="", namespace=name, raw=uri)


def _parse_file(uri: str, path_part: str, namespace: str, options: Mapping[str, str]) -> StoreURI:
    if path_part.startswith("/"):
        path = path_part  # file:///abs
    elif path_part.startswith("localhost/"):
        path = path_part[len("localhost") :]
    elif path_part in (".", "..") or path_part.startswith(("./", "../")):
        path = os.path.abspath(unquote(path_part))
    else:
        raise _fail(uri, "file URIs are file:///absolute/dir or file://./relative/dir")
    path = os.path.normpath(unquote(path))
    if not os.path.isabs(path):
        raise _fail(uri, "file URIs are file:///absolute/dir or file://./relative/dir")
    return StoreURI(scheme="file", location=path, namespace=namespace, options=options, raw=uri)


def _parse_cloud(
    uri: str, scheme: str, path_part: str, namespace: str, options: Mapping[str, str]
) -> StoreURI:
    parts = _split_path(path_part)
    if path_part.startswith("/") or not parts:
        raise _fail(uri, f"{scheme}:// needs a {'account' if scheme == 'az' else 'bucket'} name")
    container: str | None = None
    if scheme == "az":
        if len(parts) < 2:
            raise _fail(uri, "az:// needs both an account and a container: az://<account>/<container>")
        account, container, *rest = parts
        if not _AZ_ACCOUNT.fullmatch(account):
            raise _fail(uri, f"Azure account {account!r} must be 3-24 lower-case letters or digits")
        if not _AZ_CONTAINER.fullmatch(container):
            raise _fail(uri, f"Azure container {container!r} is not a valid container name")
        location = account
    else:
        location, *rest = parts
        if not _BUCKET.fullmatch(location) or ".." in location:
            raise _fail(uri, f"bucket name {location!r} is not valid")
    prefix = "/".join(rest) or CLOUD_DEFAULT_PREFIX
    return StoreURI(
        scheme=scheme,
        location=location,
        container=container,
        prefix=prefix,
        namespace=namespace,
        options=options,
        raw=uri,
    )
