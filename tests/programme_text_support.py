"""A programme's text for tests: two published drafts of a short programme, the second changing § 2 ust. 1."""
from __future__ import annotations

import copy

DRAFT_1 = {
    "schema": "consult.programme-text/1",
    "programme": {"year": 2027, "title": "Program Współpracy na rok 2027"},
    "provisions": [
        {"id": "rozdzial-1", "kind": "chapter", "number": "1", "heading": "Postanowienia ogólne", "text": "",
         "children": [
             {"id": "par-1", "kind": "paragraph", "number": "1",
              "text": "Program określa formy współpracy Miasta z organizacjami pozarządowymi."},
         ]},
        {"id": "rozdzial-2", "kind": "chapter", "number": "2", "heading": "Cele programu", "text": "",
         "children": [
             {"id": "par-2", "kind": "paragraph", "number": "2", "text": "", "children": [
                 {"id": "par-2.ust-1", "kind": "section", "number": "1",
                  "text": "Celem głównym jest wzmacnianie roli organizacji w życiu miasta."},
                 {"id": "par-2.ust-2", "kind": "section", "number": "2", "text": "Celami szczegółowymi są:",
                  "children": [
                      {"id": "par-2.ust-2.pkt-1", "kind": "point", "number": "1",
                       "text": "wspieranie inicjatyw lokalnych;"},
                      {"id": "par-2.ust-2.pkt-2", "kind": "point", "number": "2",
                       "text": "rozwój wolontariatu."},
                  ]},
             ]},
         ]},
    ],
}
CHANGED_FROM = "wzmacnianie roli organizacji w życiu miasta."
CHANGED_TO = "wzmacnianie roli organizacji pozarządowych w życiu miasta i dzielnic."


def draft_2() -> dict:
    data = copy.deepcopy(DRAFT_1)
    section = data["provisions"][1]["children"][0]["children"][0]
    section["text"] = section["text"].replace(CHANGED_FROM, CHANGED_TO)
    return data


def publish_text(programme, drafts: int = 1):
    """Import and publish `drafts` versions of the text for `programme` (its year must be 2027 for these data)."""
    from consult.core.actors import SYSTEM
    from consult.core.operations import transaction
    from consult.programme_text.operations import import_text, publish_text_version

    for n in range(drafts):
        data = DRAFT_1 if n == 0 else draft_2()
        with transaction():
            import_text(SYSTEM, programme, copy.deepcopy(data["provisions"]))
            publish_text_version(SYSTEM, programme, kind="draft")


def provision(programme, key: str):
    from consult.programme_text.queries import provision_by_key

    return provision_by_key(programme.id, key)
