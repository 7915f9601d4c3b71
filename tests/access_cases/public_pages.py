"""Public programme and meeting pages: anyone, signed in or not."""
from tests.access_cases import ALL, Case

CASES = [
    Case("public.programme", lambda w: f"/programy/{w.programme.id}", ALL),
    Case("public.meeting", lambda w: f"/programy/spotkania/{w.meeting.id}", ALL),
]
