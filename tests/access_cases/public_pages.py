"""Public programme and meeting pages: anyone, signed in or not."""
from tests.access_cases import ALL, Case

CASES = [
    Case("public.programme", lambda w: f"/programy/{w.programme.id}", ALL),
    Case("public.meeting", lambda w: f"/programy/spotkania/{w.meeting.id}", ALL),
]

# The public register of postulates and its downloads (published data only: tests/test_register_exports.py).
CASES += [
    Case("public.register", lambda w: "/postulaty", ALL),
    Case("public.register_export", lambda w: "/postulaty/eksport.csv", ALL, name="csv"),
    Case("public.register_export", lambda w: "/postulaty/eksport.xlsx", ALL, name="xlsx"),
    Case("public.register_export", lambda w: "/postulaty/eksport.ods", ALL, name="ods"),
]

# The operators' monitoring (consult/core/health.py): public JSON; 200 when healthy, 503 when not (tests/test_health.py).
CASES += [
    Case("health.health", lambda w: "/health", ALL),
]
