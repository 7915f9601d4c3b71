"""The genitive of a unit's name, as the city writes "Stanowisko Wydziału Dialogu, ...".

A unit's name is a head noun ("Wydział", "Biuro") possibly led by adjectives ("Miejski Ośrodek ...") and
followed by one agreeing adjective ("Straż Miejska") and then by words that are in the genitive already
("... Dialogu, Konsultacji i ..."): only those first words change. A name this does not recognise is
written, unchanged and quoted, after "komórki", which is correct Polish too.
"""
from __future__ import annotations

HEAD_NOUNS = {
    "Wydział": "Wydziału", "Biuro": "Biura", "Urząd": "Urzędu", "Zarząd": "Zarządu", "Kancelaria": "Kancelarii",
    "Referat": "Referatu", "Oddział": "Oddziału", "Dział": "Działu", "Zespół": "Zespołu",
    "Departament": "Departamentu", "Ośrodek": "Ośrodka", "Centrum": "Centrum", "Pełnomocnik": "Pełnomocnika",
    "Rzecznik": "Rzecznika", "Straż": "Straży", "Komenda": "Komendy", "Instytut": "Instytutu",
    "Dom": "Domu", "Rada": "Rady", "Agencja": "Agencji", "Zakład": "Zakładu", "Muzeum": "Muzeum",
}


_POST_ADJECTIVE = ("ski", "cki", "ska", "cka", "skie", "ckie")


def _adjective_genitive(word: str) -> str | None:
    for ending, replacement in (("ski", "skiego"), ("cki", "ckiego"), ("dzki", "dzkiego"), ("ny", "nego"),
                                ("wy", "wego"), ("ska", "skiej"), ("cka", "ckiej"), ("ckie", "ckiego"), ("na", "nej"), ("wa", "wej"),
                                ("skie", "skiego"), ("ne", "nego"), ("we", "wego")):
        if word.endswith(ending):
            return word[: -len(ending)] + replacement
    return None


def unit_genitive(name: str) -> str:
    """'Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego' -> 'Wydziału Dialogu, Konsultacji i ...'."""
    words = name.split(" ")
    out = []
    for i, word in enumerate(words[:4]):
        bare = word.rstrip(",")
        if bare in HEAD_NOUNS:
            out.append(HEAD_NOUNS[bare] + word[len(bare):])
            rest = words[i + 1:]
            # An adjective right after the noun agrees with it: "Straż Miejska" -> "Straży Miejskiej".
            if rest and rest[0].rstrip(",").endswith(_POST_ADJECTIVE) and rest[0][:1].isupper():
                bare_next = rest[0].rstrip(",")
                rest = [_adjective_genitive(bare_next) + rest[0][len(bare_next):]] + rest[1:]
            return " ".join(out + rest)
        adjective = _adjective_genitive(bare)
        if adjective is None or not bare[:1].isupper():
            break
        out.append(adjective + word[len(bare):])
    return f"komórki „{name}”"
