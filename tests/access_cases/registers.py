"""The registers: units and organisations for coordinators and admins, accounts for admins only."""
from tests.access_cases import Case

REGISTRARS = frozenset({"coordinator", "admin"})
ADMIN = frozenset({"admin"})

CASES = [
    Case("admin.index", lambda w: "/rejestry", REGISTRARS),
    Case("admin.units_list", lambda w: "/rejestry/komorki", REGISTRARS),
    Case("admin.new_unit", lambda w: "/rejestry/komorki/nowa", REGISTRARS),
    Case("admin.new_unit", lambda w: "/rejestry/komorki/nowa", REGISTRARS, method="POST",
         data=lambda w: {"name": "Wydział Sportu", "code": "WS"}),
    Case("admin.organisations_list", lambda w: "/rejestry/organizacje", REGISTRARS),
    Case("admin.new_organisation", lambda w: "/rejestry/organizacje/nowa", REGISTRARS),
    Case("admin.new_organisation", lambda w: "/rejestry/organizacje/nowa", REGISTRARS, method="POST",
         data=lambda w: {"name": "Stowarzyszenie Zacięcie", "legal_form": "stowarzyszenie"}),
    Case("admin.users_list", lambda w: "/rejestry/konta", ADMIN),
    Case("admin.audit_log", lambda w: "/rejestry/dziennik", ADMIN),
    Case("admin.new_user", lambda w: "/rejestry/konta/nowe", ADMIN),
    Case("admin.new_user", lambda w: "/rejestry/konta/nowe", ADMIN, method="POST",
         data=lambda w: {"email": "nowy@example.org", "name": "Nowa Osoba", "role": "ngo",
                         "organisation": str(w.org_a.id)}),
]
