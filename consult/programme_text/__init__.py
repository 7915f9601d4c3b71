"""The programme's text: chapters, paragraphs (§), sections (ust.) and points (pkt) of a cooperation programme,
its published versions (draft 1, draft 2, ..., the adopted resolution), the postulates on its provisions and what
changed in them and why."""
