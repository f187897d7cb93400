"""The store-URI grammar, table-driven: every accepted form and the ways to get it wrong."""

from __future__ import annotations

import os

import pytest

from namidb_core.errors import InvalidURIError, UnknownSchemeError
from namidb_core.uri import URI_FORMS, parse_uri, validate_namespace

PLUGINS = frozenset({"sqlitestore", "acme"})

# (uri, scheme, location, container, prefix, namespace, options)
GOOD = [
    ("memory://demo", "memory", "", None, "", "demo", {}),
    ("memory://a", "memory", "", None, "", "a", {}),
    ("memory://?ns=acme", "memory", "", None, "", "acme", {}),
    ("memory://acme?namespace=acme", "memory", "", None, "", "acme", {}),
    ("MEMORY://x-1", "memory", "", None, "", "x-1", {}),
    ("file:///data/db?ns=prod", "file", "/data/db", None, "", "prod", {}),
    ("file:///data/db/?ns=prod", "file", "/data/db", None, "", "prod", {}),
    ("file:///data/db?namespace=p1", "file", "/data/db", None, "", "p1", {}),
    ("file://localhost/data/db?ns=a", "file", "/data/db", None, "", "a", {}),
    ("file:///tmp/with%20space?ns=a", "file", "/tmp/with space", None, "", "a", {}),
    ("file:///a/./b/../c?ns=a", "file", "/a/c", None, "", "a", {}),
    ("file://./rel/dir?ns=a", "file", os.path.abspath("rel/dir"), None, "", "a", {}),
    ("file://../up?ns=a", "file", os.path.abspath("../up"), None, "", "a", {}),
    ("s3://bucket?ns=prod", "s3", "bucket", None, "tenants", "prod", {}),
    ("s3://bucket/?ns=prod", "s3", "bucket", None, "tenants", "prod", {}),
    ("s3://bucket/data?ns=prod", "s3", "bucket", None, "data", "prod", {}),
    ("s3://bucket/a/b/c/?ns=prod", "s3", "bucket", None, "a/b/c", "prod", {}),
    (
        "s3://my.bucket-1/x?ns=p&region=eu-west-1",
        "s3",
        "my.bucket-1",
        None,
        "x",
        "p",
        {"region": "eu-west-1"},
    ),
    (
        "s3://b12/data?ns=x&region=us-east-1&endpoint=http://127.0.0.1:9000&allow_http=true",
        "s3",
        "b12",
        None,
        "data",
        "x",
        {"region": "us-east-1", "endpoint": "http://127.0.0.1:9000", "allow_http": "true"},
    ),
    ("gs://bucket?ns=prod", "gs", "bucket", None, "tenants", "prod", {}),
    (
        "gs://bucket/data?ns=x&endpoint=http://127.0.0.1:4443",
        "gs",
        "bucket",
        None,
        "data",
        "x",
        {"endpoint": "http://127.0.0.1:4443"},
    ),
    (
        "gs://bucket/p?ns=x&service_account=/keys/sa.json",
        "gs",
        "bucket",
        None,
        "p",
        "x",
        {"service_account": "/keys/sa.json"},
    ),
    ("az://devstoreaccount1/cc1?ns=x", "az", "devstoreaccount1", "cc1", "tenants", "x", {}),
    (
        "az://devstoreaccount1/cc1/data?ns=x&use_emulator=true&endpoint=http://127.0.0.1:10000/devstoreaccount1"
        "&allow_http=true",
        "az",
        "devstoreaccount1",
        "cc1",
        "data",
        "x",
        {"use_emulator": "true", "endpoint": "http://127.0.0.1:10000/devstoreaccount1", "allow_http": "true"},
    ),
    ("az://acct/container-1/deep/prefix?ns=n", "az", "acct", "container-1", "deep/prefix", "n", {}),
    ("sqlitestore:///tmp/x.db?ns=a", "sqlitestore", "", None, "tmp/x.db", "a", {}),
    ("acme://host/path?ns=a&token=t", "acme", "host", None, "path", "a", {"token": "t"}),
    ("s3://bucket?ns=" + "a" * 63, "s3", "bucket", None, "tenants", "a" * 63, {}),
    ("s3://bucket?ns=0-0", "s3", "bucket", None, "tenants", "0-0", {}),
]

# (uri, a fragment the message must contain)
BAD = [
    ("bogus://x", "unknown scheme"),
    ("memory://", "missing namespace"),
    ("file:///data/x", "missing namespace"),
    ("file:///data/x?ns=Bad_NS", "must match"),
    ("s3://?ns=a", "bucket"),
    ("az://acct?ns=a", "container"),
    ("", "expected"),
    ("not a uri", "expected"),
    ("memory:/demo", "expected"),
    ("memory://Demo", "must match"),
    ("memory://a/b", "no path"),
    ("memory://a?ns=b", "namespace given twice"),
    ("memory://a?region=x", "no parameters"),
    ("file://relative?ns=a", "file:///absolute"),
    ("file:///d?ns=", "must match"),
    ("file:///d?ns=-leading", "must match"),
    ("file:///d?ns=" + "a" * 64, "must match"),
    ("file:///d?ns=a&ns=b", "more than once"),
    ("file:///d?ns=a&namespace=b", "more than once"),
    ("file:///d?ns=a&region=x", "unknown parameter"),
    ("file:///d?ns=a#frag", "fragments"),
    ("s3://bucket?ns=a&colour=red", "unknown parameter"),
    ("s3://bucket?ns=a&allow_http=maybe", "true or false"),
    ("s3://bucket?ns=a&endpoint=localhost:9000", "http(s)://"),
    ("s3://Bad_Bucket?ns=a", "bucket name"),
    ("s3://b12?ns=a&ns", "malformed query"),
    ("s3://bucket", "missing namespace"),
    ("s3:///bucket?ns=a", "bucket"),
    ("gs://bucket?ns=a&region=x", "unknown parameter"),
    ("gs://bucket?ns=UPPER", "must match"),
    ("az://ACCT/c1?ns=a", "account"),
    ("az://acct/C!?ns=a", "container"),
    ("az://acct/a--b?ns=a", "container"),
    ("az://acct/c?ns=a", "container"),
    ("az://acct/cc1?ns=a&use_emulator=perhaps", "true or false"),
    ("ftp://host/x?ns=a", "unknown scheme"),
    ("1bad://x?ns=a", "bad scheme"),
    ("acme://?ns=a", "needs a location"),
    ("acme://host/path", "missing namespace"),
    ("file:///d?ns=a&=x", "unknown parameter"),
]


@pytest.mark.parametrize(("uri", "scheme", "location", "container", "prefix", "ns", "options"), GOOD)
def test_good_uris(uri, scheme, location, container, prefix, ns, options):
    parsed = parse_uri(uri, plugin_schemes=PLUGINS)
    assert parsed.scheme == scheme
    assert parsed.location == location
    assert parsed.container == container
    assert parsed.prefix == prefix
    assert parsed.namespace == ns
    assert dict(parsed.options) == options
    assert parsed.raw == uri
    assert parsed.namespace_prefix == f"{ns}/"


@pytest.mark.parametrize(("uri", "fragment"), BAD)
def test_bad_uris(uri, fragment):
    with pytest.raises(InvalidURIError) as info:
        parse_uri(uri, plugin_schemes=PLUGINS)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert fragment in message
    assert "accepted store URIs" in message  # every message shows the accepted forms


def test_table_is_big_enough():
    assert len(GOOD) + len(BAD) >= 40


@pytest.mark.parametrize(
    "uri",
    ["bogus://x", "memory://", "file:///data/x", "file:///data/x?ns=Bad_NS", "s3://?ns=a", "az://acct?ns=a"],
)
def test_issue_examples_raise_value_error(uri):
    """The six malformed URIs the foundation issue names, with the real plugin registry."""
    with pytest.raises(ValueError, match="accepted store URIs"):
        parse_uri(uri)


def test_unknown_scheme_is_its_own_class():
    with pytest.raises(UnknownSchemeError):
        parse_uri("bogus://x?ns=a", plugin_schemes=frozenset())


def test_non_string_is_rejected():
    with pytest.raises(InvalidURIError, match="must be a string"):
        parse_uri(42)  # type: ignore[arg-type]


def test_options_are_read_only_and_boolean_helper():
    parsed = parse_uri("s3://b12?ns=a&allow_http=TRUE", plugin_schemes=PLUGINS)
    assert parsed.option_bool("allow_http") is True
    assert parsed.option_bool("missing", default=False) is False
    with pytest.raises(TypeError):
        parsed.options["x"] = "y"  # type: ignore[index]


def test_redacted_drops_options():
    parsed = parse_uri("s3://b12/p?ns=a&endpoint=http://127.0.0.1:1&region=x", plugin_schemes=PLUGINS)
    assert parsed.redacted() == "s3://b12/p?ns=a"
    assert parse_uri("memory://m").redacted() == "memory://m"
    assert parse_uri("az://acct/cc1?ns=a").redacted() == "az://acct/cc1/tenants?ns=a"


@pytest.mark.parametrize("ns", ["a", "0", "a-b-c", "x" * 63])
def test_validate_namespace_accepts(ns):
    assert validate_namespace(ns) == ns


@pytest.mark.parametrize("ns", ["", "A", "-a", "a_b", "a.b", "x" * 64, "é"])
def test_validate_namespace_rejects(ns):
    with pytest.raises(InvalidURIError):
        validate_namespace(ns)


def test_forms_text_names_every_scheme():
    for scheme in ("memory://", "file://", "s3://", "gs://", "az://"):
        assert scheme in URI_FORMS
