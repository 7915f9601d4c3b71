"""Which domains' documents the app compiles: each module registers its kinds with the documents service when
imported. The web app, the CLI and every Celery worker process (worker.tasks makes its app with create_app) load
the same list; a new domain with documents adds its module here, and nothing in consult/documents."""
from __future__ import annotations

import importlib

DOCUMENT_MODULES = (
    "consult.summaries.documents",
    "consult.calls.documents",
    "consult.consultation_report.documents",
    "consult.implementation.documents",
    "consult.programme_report.documents",
    "consult.smallgrants.documents",
    "consult.receipts.documents",
)


def register_document_kinds() -> None:
    for name in DOCUMENT_MODULES:
        importlib.import_module(name)
