"""The registers: units and organisations for coordinators and admins, accounts for admins only."""
from tests.access_cases import ALL, Case

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

# The limits of small grants: public to read, entered by administrators.
CASES += [
    Case("smallgrants.limits", lambda w: "/male-granty/limity", ALL),  # public
    Case("smallgrants.new_limits", lambda w: "/male-granty/limity/nowe", ADMIN),
    Case("smallgrants.new_limits", lambda w: "/male-granty/limity/nowe", ADMIN, method="POST",
         data=lambda w: {"effective_from-day": "1", "effective_from-month": "1", "effective_from-year": "2031",
                         "max_grant_value": "10000", "max_grant_basis": "art. 19a ust. 1 pkt 1",
                         "max_days_value": "90", "max_days_basis": "art. 19a ust. 1 pkt 2",
                         "yearly_cap_value": "20000", "yearly_cap_basis": "art. 19a ust. 2",
                         "max_share_value": "20", "max_share_basis": "art. 19a ust. 3"}),
    Case("smallgrants.planned_grants", lambda w: "/male-granty/dotacje-planowane", ADMIN),
    Case("smallgrants.planned_grants", lambda w: "/male-granty/dotacje-planowane", ADMIN, method="POST",
         data=lambda w: {"year": "2027", "amount": "1000000"}),
]

# Retention periods of personal data: administrators only.
CASES += [
    Case("retention.index", lambda w: "/rejestry/retencja", ADMIN),
    Case("retention.edit", lambda w: "/rejestry/retencja/booking_requests", ADMIN),
    Case("retention.edit", lambda w: "/rejestry/retencja/booking_requests", ADMIN, method="POST",
         data=lambda w: {"months": "18", "legal_basis": "art. 6 ust. 1 lit. e RODO"}),
]
