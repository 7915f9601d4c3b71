"""The kinds of document the service compiles, each registered by the domain it belongs to.

The documents service (jobs, versions, storage, dispatch, progress) knows no domain: a domain describes each of
its documents once, as a `DocumentKind` (how to compile it, who may see it, what kind of thing it is about, where
its files go and what they are called, how its compile is audited), and registers it with `register`
in its own module (consult/<domain>/documents.py), which `consult.create_app` imports, so that the web app, the CLI
and every Celery worker process know the same kinds. Adding a kind adds no branch here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

@dataclass(frozen=True)
class Built:
    """A compiled document: the PDF, its page count and the digest of the data it was built from."""

    pdf: bytes
    pages: int
    source_digest: str


def coordinators_or_published(user, version) -> bool:
    """Who may see a version unless its kind says otherwise: anyone once it is published, coordinators before."""
    from consult.core.access import has_role

    return version.published_at is not None or (user is not None and has_role(user, "coordinator"))


@dataclass(frozen=True)
class DocumentKind:
    name: str  # stored in document_jobs.kind and document_versions.kind
    # what the document is about, as the audit log names it ("meeting", "call", "offer", ...): a job or version
    # holds it with the subject's id (subject_type, subject_id), so that a new domain needs no column here
    subject_type: str
    compile: Callable[[Any], Built]  # job -> Built, run under the job's language from fresh rows
    folder: str  # where its files go under CONSULT_STORAGE
    file_stem: str  # what a downloaded file is called (before its subject, number and language)
    compiled_action: str  # the audit action of a compile; "<action>_failed" is that of a failure
    # who may see a version: (user or None, version) -> bool; the routes that serve it check the same
    may_see: Callable[[Any, Any], bool] = coordinators_or_published
    # a version is public the moment it is compiled (a call's announcement), not when someone publishes it
    published_on_compile: bool = False
    published_by_label: str | None = None  # what such a version says published it
    # a compile is audited as the job's own (a follow-up of the subject's transitions) rather than the subject's
    audit_as_job: bool = False
    # version id -> None, run once the version is recorded (its own transaction): a receipt e-mailed, ...
    after_compile: Callable[[int], None] | None = None
    # job -> True when the job's work was handed to other tasks (a Celery worker asks; finish_job completes it)
    fan_out: Callable[[Any], bool] | None = None
    title: str = ""  # what the document is, for people (a lazy string is fine)

    def __post_init__(self) -> None:
        if not self.subject_type or len(self.subject_type) > 40:
            raise ValueError(f"document kind {self.name}: what is it about? (subject_type of 1-40 characters)")
        if self.published_on_compile and not self.published_by_label:
            raise ValueError(f"document kind {self.name}: published on compile, by whom?")


_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Make the kind known. Registering the same description again (a module imported twice) is harmless;
    another kind under a name taken is an error."""
    known = _KINDS.get(kind.name)
    if known is not None and known != kind:
        raise ValueError(f"document kind {kind.name} is registered already")
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Forget a kind (a test's own kind, when the test is done)."""
    _KINDS.pop(name, None)


def kind_of(name: str) -> DocumentKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"no document kind {name!r} is registered") from None


def is_registered(name: str) -> bool:
    return name in _KINDS


def kinds() -> list[DocumentKind]:
    return list(_KINDS.values())
