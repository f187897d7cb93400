"""Manifests: the versioned list of what a namespace holds, and the commit protocol that advances it."""

from namidb_core.storage.manifest.commit import ManifestLog
from namidb_core.storage.manifest.model import Manifest, Pointer, SstDescriptor, WalSegmentRef

__all__ = ["Manifest", "ManifestLog", "Pointer", "SstDescriptor", "WalSegmentRef"]
