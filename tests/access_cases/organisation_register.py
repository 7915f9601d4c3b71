"""The public register of organisations (anyone), editing units and organisations (coordinators and
administrators), merging duplicates (administrators) and a person's own data (anyone signed in)."""
from tests.access_cases import ALL, SIGNED_IN, Case
from tests.conftest import PASSWORD

REGISTRARS = frozenset({"coordinator", "admin"})
ADMIN = frozenset({"admin"})
API = "/api/v1"

CASES = [
    Case("organisations.register", lambda w: "/organizacje", ALL),
    Case("organisations.register_export", lambda w: "/organizacje/eksport.csv", ALL),
    Case("organisations.detail", lambda w: f"/organizacje/{w.org_a.id}", ALL),
    Case("api.organisations", lambda w: f"{API}/organisations", ALL),
    Case("api.organisation", lambda w: f"{API}/organisations/{w.org_a.id}", ALL),
    Case("registers.edit_unit", lambda w: f"/rejestry/komorki/{w.unit_x.id}", REGISTRARS),
    Case("registers.edit_unit", lambda w: f"/rejestry/komorki/{w.unit_x.id}", REGISTRARS, method="POST",
         data=lambda w: {"name": "Wydział Polityki Społecznej", "code": "WPS", "parent": "", "active": "y"}),
    Case("registers.edit_organisation", lambda w: f"/rejestry/organizacje/{w.org_b.id}", REGISTRARS),
    Case("registers.edit_organisation", lambda w: f"/rejestry/organizacje/{w.org_b.id}", REGISTRARS,
         method="POST", data=lambda w: {"name": "Fundacja Start Tango", "legal_form": "fundacja",
                                        "krs": "0000123456", "nip": "5250000009", "regon": "192598184",
                                        "address": "ul. Krótka 2, Kraków", "district": "II", "spheres": "16",
                                        "email": "biuro@tango.example", "phone": "+48 12 345 67 89",
                                        "website": "https://tango.example", "status": "verified"}),
    Case("registers.merge_unit", lambda w: f"/rejestry/komorki/{w.unit_y.id}/polacz?kept={w.unit_x.id}", ADMIN),
    Case("registers.merge_unit", lambda w: f"/rejestry/komorki/{w.unit_y.id}/polacz", ADMIN, method="POST",
         data=lambda w: {"kept": str(w.unit_x.id)}),
    Case("registers.merge_organisation", lambda w: f"/rejestry/organizacje/{w.org_b.id}/polacz?kept={w.org_a.id}",
         ADMIN),
    Case("registers.merge_organisation", lambda w: f"/rejestry/organizacje/{w.org_b.id}/polacz", ADMIN,
         method="POST", data=lambda w: {"kept": str(w.org_a.id)}),
    Case("privacy.index", lambda w: "/konto/dane", SIGNED_IN),
    Case("privacy.download", lambda w: "/konto/dane.json", SIGNED_IN, method="POST"),
    Case("privacy.erase", lambda w: "/konto/usun", SIGNED_IN),
    Case("privacy.erase", lambda w: "/konto/usun", SIGNED_IN, method="POST", data=lambda w: {"password": PASSWORD}),
]
