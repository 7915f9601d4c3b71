"""What a compile job's page says about the job, the same in the HTML and in the JSON the page polls.

A job page (a meeting summary's compile, a call's PDFs on the call's management page) shows a status region
(templates/_jobs.html) that consult/static/app.js keeps up to date from the job's JSON status endpoint:
queued → running → done with the download link, or failed with the reason. Without JavaScript the region
is rendered the same way and a refresh link asks again. Each endpoint checks access like the page that
started the job; this module only words the state.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consult.documents.models import DocumentJob

# The summaries' pages show them in their tables too (template global job_state_label); lazy, so each request
# reads them in its own language.
JOB_STATE_LABELS = {"queued": _l("w kolejce"), "running": _l("w toku"), "done": _l("gotowe"),
                    "failed": _l("nie powiodło się")}


@dataclass
class JobStatus:
    job: DocumentJob
    download_url: str | None = None  # where the compiled PDF is, once it is there
    download_label: str | None = None

    @property
    def label(self) -> str:
        return str(JOB_STATE_LABELS.get(self.job.state, self.job.state))

    @property
    def message(self) -> str:
        state = self.job.state
        if state == "queued":
            return _("Zadanie czeka w kolejce na wolnego wykonawcę.")
        if state == "running":
            done, total = self.job.progress_done, self.job.progress_total
            if total:
                if done >= total:
                    return _("Wszystkie części są gotowe (%(total)d); trwa składanie dokumentu.", total=total)
                return _("Trwa kompilacja: gotowe części %(done)d z %(total)d.", done=done, total=total)
            return _("Trwa kompilacja dokumentu.")
        if state == "done":
            return _("Dokument jest gotowy.")
        return _("Kompilacja nie powiodła się: %(reason)s", reason=self.job.error or _("przyczyna nieznana"))

    def as_json(self) -> dict:
        job = self.job
        done = job.state == "done" and self.download_url is not None
        return {
            "id": job.id, "kind": job.kind, "state": job.state, "label": self.label, "message": self.message,
            "pending": job.pending, "error": job.error if job.state == "failed" else None,
            "version": job.version.number if job.version else None,
            "progress": ({"done": job.progress_done, "total": job.progress_total}
                         if job.progress_total is not None else None),
            "download_url": self.download_url if done else None,
            "download_label": self.download_label if done else None,
        }
