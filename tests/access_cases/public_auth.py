"""Public pages and signing in/out."""
from tests.access_cases import ALL, SIGNED_IN, Case

CASES = [
    Case("public.home", lambda w: "/", ALL),
    Case("public.programmes", lambda w: "/programy", ALL),
    Case("auth.login", lambda w: "/logowanie", ALL),
    Case("auth.login", lambda w: "/logowanie", ALL, method="POST", data=lambda w: {"email": "x@example.org",
                                                                                   "password": "wrong"}),
    Case("auth.logout", lambda w: "/wyloguj", SIGNED_IN, method="POST", data=lambda w: {}),
    Case("auth.set_language", lambda w: "/jezyk/en", ALL, method="POST", data=lambda w: {}),
    Case("auth.set_language", lambda w: "/jezyk/uk?next=/programy", ALL),
]
