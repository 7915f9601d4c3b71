"""The demo's grant calls, one in each stage a newcomer should be able to walk without waiting 21 days:

- a call whose results were published (Kluby Rodziców): offers filed, checked, scored by the commission,
  grants decided within the call's funds, the results PDF compiled;
- a call in evaluation (Centra Aktywności Seniora): its deadline passed, the formal check done (one offer
  corrected and then accepted, one rejected), a commission of three whose scoring is half done, so that the
  demo's commission member has offers to score;
- a call open for offers (dyżury dla cudzoziemców), announced two days ago, in which an NGO has a draft.

Everything is done through the operations, by the people who would do it (the running unit announces and
checks, NGO members file, the coordinator appoints the commission and decides, members score), each step
in its own transaction with the clock moved to the day it happened (`consult.core.types.clock_at`): the
calls' dates, the audit trail, the notifications and the PDFs carry those days, and every rule about time
(21 days, the deadline, the correction window) is checked as it would have been then.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from consult.auth.models import User
from consult.calls import operations as ops
from consult.calls.models import Call, Offer
from consult.core.actors import SYSTEM
from consult.core.operations import transaction
from consult.core.types import clock_at, to_warsaw, warsaw_to_utc
from consult.extensions import db
from consult.organisations.models import Unit
from consult.programmes.models import Programme
from consult.programmes.operations import create_programme

D = Decimal


# --- what the offers say ---------------------------------------------------------------------------------


@dataclass
class OfferSpec:
    """One offer: who files it (an account's e-mail), what it proposes, and what it costs."""

    applicant: str
    contact: str
    address: str
    title: str
    place: str
    target_group: str
    description: str
    schedule: list[str]
    results: list[tuple[str, str, str]]
    staff: str
    material: str
    experience: str
    # (category, name, unit, unit cost, quantity)
    costs: list[tuple[str, str, str, str, str]]
    own_financial: str = "0"
    own_personal: str = "0"
    own_material: str = "0"
    participant_fees: str = "0"

    @property
    def total(self) -> Decimal:
        return sum((D(c[3]) * D(c[4]) for c in self.costs), D(0))

    @property
    def grant_requested(self) -> Decimal:
        """What is left of the costs after the applicant's own share: the offer's sources equal its costs."""
        own = D(self.own_financial) + D(self.own_personal) + D(self.own_material) + D(self.participant_fees)
        return self.total - own


@dataclass
class CallSpec:
    unit: str
    title: str
    task_type: str
    sphere: str
    funds: str
    award_rules: str
    task_conditions: str
    procedure: str
    previous_task: str
    previous_amount: str
    criteria_notes: str = ""
    offers: list[OfferSpec] = field(default_factory=list)


PROCEDURE = (
    "Oferty złożone w terminie sprawdza pod względem formalnym komórka prowadząca konkurs; oferent, którego oferta "
    "ma braki możliwe do uzupełnienia, otrzymuje wezwanie i 7 dni na ich usunięcie. Oferty przyjęte pod względem "
    "formalnym ocenia komisja konkursowa na karcie oceny według kryteriów z art. 15 ust. 1 ustawy; członkowie "
    "komisji składają przed oceną oświadczenie o braku konfliktu interesów. O wyborze ofert i wysokości dotacji "
    "rozstrzyga Prezydent Miasta Krakowa; wyniki ogłasza się w Biuletynie Informacji Publicznej, na stronie "
    "internetowej i na tablicy ogłoszeń Urzędu Miasta Krakowa."
)
DECLARED = {key: True for key in ops.DECLARATIONS}

PARENTS_CLUBS = CallSpec(
    unit="Wydział Polityki Społecznej, Równości i Zdrowia",
    title="Prowadzenie Klubów Rodziców z dziećmi do lat 3",
    task_type="Prowadzenie Klubów Rodziców – miejsc spotkań i integracji rodziców z dziećmi do lat 3 oraz osób "
              "oczekujących na potomstwo, z bezpłatną ofertą zajęć rozwojowych, edukacyjnych i spotkań ze "
              "specjalistami",
    sphere="wspieranie rodziny i systemu pieczy zastępczej",
    funds="110000.00",
    award_rules="Dotacja może pokryć do 95% kosztów zadania. Jeden oferent może otrzymać dotację na prowadzenie "
                "jednego Klubu Rodziców. Zajęcia w klubie są bezpłatne dla uczestników.",
    task_conditions="Klub działa co najmniej cztery dni w tygodniu, w tym w jedno popołudnie, w lokalu dostosowanym "
                    "do potrzeb małych dzieci i osób z niepełnosprawnościami. Oferent prowadzi listy obecności, "
                    "współpracuje z krakowską siecią Klubów Rodziców i Pełnomocnikiem Prezydenta Miasta Krakowa "
                    "ds. Rodziny.",
    procedure=PROCEDURE,
    previous_task="Prowadzenie Klubów Rodziców z dziećmi do lat 3",
    previous_amount="96000.00",
    offers=[
        OfferSpec(
            applicant="zustricz@demo.consult.local", contact="Olena Kowalenko", address="ul. Przykładowa 7, 30-001 Kraków",
            title="Klub Rodziców „Razem od początku” dla rodzin polskich i ukraińskich z dziećmi do lat 3",
            place="Dzielnica XIII Podgórze",
            target_group="Rodzice i opiekunowie dzieci do lat 3 oraz osoby oczekujące na potomstwo, w tym rodziny "
                         "z Ukrainy mieszkające w Krakowie.",
            description="Klub Rodziców otwarty cztery dni w tygodniu: zajęcia rozwojowe i sensoryczne dla dzieci z "
                        "rodzicami, spotkania z psychologiem i położną, grupa wsparcia dla rodziców. Zajęcia "
                        "prowadzone po polsku z tłumaczeniem na język ukraiński, tak aby rodziny obu społeczności "
                        "poznawały się i wymieniały doświadczeniami.",
            schedule=["Nabór uczestników i promocja klubu", "Zajęcia rozwojowe i sensoryczne dla dzieci z rodzicami",
                      "Spotkania ze specjalistami i grupa wsparcia"],
            results=[("Rodziny korzystające z oferty klubu", "60 rodzin", "listy obecności"),
                     ("Zajęcia przeprowadzone w klubie", "180 zajęć", "dziennik zajęć")],
            staff="Animatorka zajęć dla dzieci (pedagog wczesnoszkolny), psycholog, położna, tłumaczka języka "
                  "ukraińskiego.",
            material="Sala zabaw z matami i zabawkami sensorycznymi użyczona przez fundację.",
            experience="Fundacja od 2022 r. prowadzi zajęcia integracyjne dla rodzin z Ukrainy.",
            costs=[("activity", "Prowadzenie zajęć w klubie (animator)", "godzina", "90", "320"),
                   ("activity", "Konsultacje psychologa i położnej", "godzina", "150", "96"),
                   ("activity", "Tłumaczenie zajęć na język ukraiński", "godzina", "80", "120"),
                   ("activity", "Materiały plastyczne i sensoryczne", "komplet", "450", "12"),
                   ("administrative", "Koordynacja zadania", "miesiąc", "900", "9")],
            own_financial="2000", own_personal="4500", own_material="1400",
        ),
        OfferSpec(
            applicant="starttango@demo.consult.local", contact="Piotr Wiśniewski", address="ul. Przykładowa 12, 30-002 Kraków",
            title="Klub Rodziców „Ruch i rytm” – zajęcia ruchowe dla rodziców z małymi dziećmi",
            place="Dzielnica V Krowodrza",
            target_group="Rodzice dzieci do lat 3, w szczególności rodzice wracający do aktywności po urlopie "
                         "rodzicielskim.",
            description="Zajęcia ruchowe i taneczne dla rodziców z dziećmi, spotkania z fizjoterapeutą dziecięcym "
                        "o rozwoju ruchowym małego dziecka, wspólne wyjścia na spacery z chustą.",
            schedule=["Zajęcia ruchowo-taneczne dla rodziców z dziećmi", "Spotkania z fizjoterapeutą dziecięcym"],
            results=[("Rodzice uczestniczący w zajęciach", "45 osób", "listy obecności"),
                     ("Spotkania ze specjalistą", "20 spotkań", "dziennik zajęć")],
            staff="Dwie instruktorki tańca z doświadczeniem w pracy z rodzicami, fizjoterapeutka dziecięca.",
            material="Sala taneczna fundacji z nagłośnieniem.",
            experience="Fundacja prowadzi zajęcia ruchowe dla różnych grup wiekowych.",
            costs=[("activity", "Zajęcia ruchowo-taneczne dla rodziców z dziećmi", "godzina", "110", "300"),
                   ("activity", "Spotkania z fizjoterapeutą dziecięcym", "godzina", "160", "60"),
                   ("activity", "Materiały i pomoce do zajęć", "komplet", "300", "10"),
                   ("administrative", "Obsługa księgowa", "miesiąc", "500", "9")],
            own_personal="500",
        ),
        OfferSpec(
            applicant="rodzina@demo.consult.local", contact="Agnieszka Przykładowa", address="os. Przykładowe 3, 31-900 Kraków",
            title="Klub Rodziców „Pierwsze kroki” w Nowej Hucie",
            place="Dzielnica XVIII Nowa Huta",
            target_group="Rodzice i opiekunowie dzieci do lat 3 z Nowej Huty.",
            description="Zajęcia rozwojowe dla dzieci z rodzicami, warsztaty dla rodziców z logopedą i dietetykiem, "
                        "wymiana doświadczeń i nieformalna grupa wsparcia.",
            schedule=["Zajęcia rozwojowe dla dzieci z rodzicami", "Warsztaty dla rodziców"],
            results=[("Rodziny korzystające z oferty klubu", "50 rodzin", "listy obecności")],
            staff="Pedagog, logopeda, dietetyk.",
            material="Lokal wynajmowany na potrzeby klubu.",
            experience="Fundacja prowadzi od 2021 r. poradnictwo dla rodzin z małymi dziećmi.",
            costs=[("activity", "Zajęcia rozwojowe dla dzieci z rodzicami", "godzina", "95", "360"),
                   ("activity", "Warsztaty dla rodziców (logopeda, dietetyk)", "godzina", "160", "90"),
                   ("activity", "Wynajem i utrzymanie sali", "miesiąc", "1200", "9"),
                   ("administrative", "Koordynacja i księgowość", "miesiąc", "850", "9")],
            own_financial="1550", own_personal="1500",
        ),
    ],
)

SENIOR_CENTRES = CallSpec(
    unit="Wydział Polityki Społecznej, Równości i Zdrowia",
    title="Prowadzenie Centrów Aktywności Seniora w ramach Programu PASIOS",
    task_type="Prowadzenie Centrów Aktywności Seniora (CAS): zajęcia rekreacyjne, gimnastyczne, artystyczne, "
              "językowe i informatyczne, wykłady i warsztaty, wydarzenia kulturalne i promujące zdrowy tryb życia "
              "dla mieszkańców Krakowa w wieku 60+",
    sphere="działalność na rzecz osób w wieku emerytalnym",
    funds="360000.00",
    award_rules="Dotacja może pokryć do 95% kosztów zadania. Jeden oferent może otrzymać dotację na prowadzenie "
                "jednego Centrum Aktywności Seniora. Udział w zajęciach jest bezpłatny; świadczenia pieniężne "
                "od uczestników są dopuszczalne wyłącznie na bilety do instytucji kultury.",
    task_conditions="Centrum działa co najmniej pięć dni w tygodniu po cztery godziny, w lokalu dostępnym dla osób "
                    "z niepełnosprawnościami, a jego oferta jest publikowana na stronie dlaseniora.krakow.pl. "
                    "Zadanie realizowane jest zgodnie z Gminnym Programem Aktywności Społecznej i Integracji Osób "
                    "Starszych (PASIOS).",
    procedure=PROCEDURE,
    previous_task="Prowadzenie Centrów Aktywności Seniora",
    previous_amount="1250000.00",
    criteria_notes="W kryterium jakości komisja bierze pod uwagę różnorodność oferty zajęć i działania "
                   "międzypokoleniowe.",
    offers=[
        OfferSpec(
            applicant="senior@demo.consult.local", contact="Jan Przykładowy", address="ul. Przykładowa 20, 30-800 Kraków",
            title="Centrum Aktywności Seniora w Bieżanowie-Prokocimiu",
            place="Dzielnica XII Bieżanów-Prokocim",
            target_group="Mieszkańcy Krakowa w wieku 60+, w szczególności osoby samotne i nieaktywne zawodowo.",
            description="Centrum otwarte pięć dni w tygodniu: gimnastyka i nordic walking, warsztaty komputerowe i "
                        "językowe, wykłady o profilaktyce zdrowia, wyjścia do kin, muzeów i teatrów.",
            schedule=["Zajęcia ruchowe i gimnastyka", "Warsztaty komputerowe i językowe",
                      "Wykłady i wyjścia do instytucji kultury"],
            results=[("Seniorzy zapisani do centrum", "120 osób", "karty zapisu"),
                     ("Zajęcia i wydarzenia", "400 zajęć", "dziennik zajęć")],
            staff="Koordynatorka centrum, instruktor gimnastyki, trenerka kompetencji cyfrowych, lektor języka "
                  "angielskiego.",
            material="Lokal stowarzyszenia przy ul. Przykładowej 20 (parter, bez barier).",
            experience="Stowarzyszenie prowadzi Klub Seniora od 2015 r.",
            costs=[("activity", "Zajęcia ruchowe i gimnastyka dla seniorów", "godzina", "100", "300"),
                   ("activity", "Warsztaty komputerowe i językowe", "godzina", "110", "240"),
                   ("activity", "Wykłady i spotkania z zakresu profilaktyki zdrowia", "spotkanie", "400", "20"),
                   ("activity", "Wyjścia do instytucji kultury (bilety)", "bilet", "35", "400"),
                   ("administrative", "Koordynacja centrum", "miesiąc", "1500", "9")],
            own_financial="2500", own_personal="6000", participant_fees="1400",
        ),
        OfferSpec(
            applicant="starttango@demo.consult.local", contact="Piotr Wiśniewski", address="ul. Przykładowa 12, 30-002 Kraków",
            title="Centrum Aktywności Seniora „Tango dla zdrowia” w Krowodrzy",
            place="Dzielnica V Krowodrza",
            target_group="Mieszkańcy Krakowa w wieku 60+.",
            description="Zajęcia tanga argentyńskiego dla seniorów, ćwiczenia równowagi i profilaktyka upadków z "
                        "fizjoterapeutą, comiesięczne milongi integracyjne otwarte dla rodzin uczestników.",
            schedule=["Zajęcia tanga dla seniorów", "Ćwiczenia z fizjoterapeutą", "Milongi integracyjne"],
            results=[("Seniorzy uczestniczący w zajęciach", "80 osób", "listy obecności"),
                     ("Milongi integracyjne", "8 wydarzeń", "dokumentacja fotograficzna")],
            staff="Dwoje instruktorów tanga, fizjoterapeutka.",
            material="Sala taneczna fundacji.",
            experience="Fundacja prowadzi zajęcia tanga dla seniorów od 2018 r.",
            costs=[("activity", "Zajęcia tanga argentyńskiego dla seniorów", "godzina", "120", "280"),
                   ("activity", "Ćwiczenia z fizjoterapeutą (równowaga, profilaktyka upadków)", "godzina", "150",
                    "120"),
                   ("activity", "Milongi integracyjne (wynajem sali i nagłośnienia)", "wydarzenie", "1200", "8"),
                   ("administrative", "Koordynacja i księgowość", "miesiąc", "1100", "9")],
            own_financial="1500", own_personal="3600",
        ),
        OfferSpec(
            applicant="kultura@demo.consult.local", contact="Maria Przykładowa", address="os. Przykładowe 15, 31-901 Kraków",
            title="Centrum Aktywności Seniora „Kultura bez barier” w Nowej Hucie",
            place="Dzielnica XVIII Nowa Huta",
            target_group="Mieszkańcy Nowej Huty w wieku 60+, także z niepełnosprawnościami.",
            description="Warsztaty artystyczne i rękodzielnicze, zajęcia ruchowe, wyjścia do teatru i muzeów z "
                        "audiodeskrypcją, spotkania międzypokoleniowe z młodzieżą z pobliskich szkół.",
            schedule=["Warsztaty artystyczne i rękodzielnicze", "Zajęcia ruchowe", "Wyjścia do teatru i muzeów"],
            results=[("Seniorzy zapisani do centrum", "90 osób", "karty zapisu")],
            staff="Animatorka kultury, instruktorka ruchu, koordynator.",
            material="Pracownia plastyczna fundacji.",
            experience="Fundacja organizuje od 2019 r. warsztaty artystyczne dla dorosłych.",
            costs=[("activity", "Warsztaty artystyczne i rękodzielnicze", "godzina", "90", "260"),
                   ("activity", "Zajęcia ruchowe i zdrowotne", "godzina", "100", "220"),
                   ("activity", "Wyjścia do teatru i muzeów (bilety)", "bilet", "40", "300"),
                   ("administrative", "Koordynacja centrum", "miesiąc", "1000", "9")],
            own_personal="2400", participant_fees="2000",
        ),
        OfferSpec(
            applicant="rodzina@demo.consult.local", contact="Agnieszka Przykładowa", address="os. Przykładowe 3, 31-900 Kraków",
            title="Centrum Aktywności Seniora przy Klubie Rodziców „Pierwsze kroki”",
            place="Dzielnica XVIII Nowa Huta",
            target_group="Seniorzy i rodziny z małymi dziećmi.",
            description="Zajęcia międzypokoleniowe seniorów z rodzinami z małymi dziećmi i warsztaty kulinarne.",
            schedule=["Zajęcia międzypokoleniowe", "Warsztaty kulinarne"],
            results=[("Uczestnicy zajęć", "40 osób", "listy obecności")],
            staff="Pedagog, kucharz-instruktor.",
            material="Lokal klubu.",
            experience="Fundacja prowadzi poradnictwo dla rodzin z małymi dziećmi.",
            costs=[("activity", "Zajęcia międzypokoleniowe seniorów z rodzinami", "godzina", "90", "200"),
                   ("activity", "Warsztaty kulinarne", "godzina", "120", "100"),
                   ("administrative", "Koordynacja", "miesiąc", "800", "9")],
            own_personal="1200",
        ),
    ],
)

FOREIGNERS_DESKS = CallSpec(
    unit="Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego",
    title="Dyżury doradców dla cudzoziemców w Centrach Obywatelskich",
    task_type="Prowadzenie dyżurów doradczych dla cudzoziemców mieszkających w Krakowie w Centrach Obywatelskich: "
              "informacja o sprawach urzędowych, legalizacji pobytu, dostępie do usług publicznych i do "
              "organizacji pozarządowych, w językach ukraińskim, angielskim i polskim",
    sphere="działalność na rzecz integracji cudzoziemców",
    funds="200000.00",
    award_rules="Dotacja może pokryć do 90% kosztów zadania. Przewiduje się wybór do czterech ofert, każdej na "
                "dyżury w innym Centrum Obywatelskim.",
    task_conditions="Dyżury odbywają się co najmniej dwa razy w tygodniu po cztery godziny, w tym jedno popołudnie, "
                    "w Centrum Obywatelskim wskazanym w ofercie. Doradcy znają język ukraiński lub angielski. Oferent "
                    "prowadzi anonimową ewidencję udzielonych porad.",
    procedure=PROCEDURE,
    previous_task="Punkt informacyjny dla cudzoziemców",
    previous_amount="80000.00",
    offers=[
        OfferSpec(
            applicant="zustricz@demo.consult.local", contact="Olena Kowalenko", address="ul. Przykładowa 7, 30-001 Kraków",
            title="Dyżury doradców dla cudzoziemców w Centrum Obywatelskim w Podgórzu",
            place="Centrum Obywatelskie, Dzielnica XIII Podgórze",
            target_group="Cudzoziemcy mieszkający w Krakowie, w szczególności obywatele Ukrainy.",
            description="Dwa dyżury w tygodniu doradców mówiących po ukraińsku i po polsku.",
            schedule=["Dyżury doradców"], results=[], staff="", material="", experience="", costs=[],
        ),
    ],
)


# --- the days things happened ----------------------------------------------------------------------------


class Story:
    """The instants of the demo's history, as days before today (in Kraków) at a wall-clock time."""

    def __init__(self, now: datetime):
        self.now = now
        self.today = to_warsaw(now).date()

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def at(self, days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
        return warsaw_to_utc(datetime.combine(self.day(days_ago), time(hour, minute)))


@contextmanager
def _on(instant: datetime) -> Iterator[None]:
    """One step of the story: the operations run as on `instant`, and commit (their follow-up jobs run then)."""
    with clock_at(instant), transaction():
        yield


def _user(email: str) -> User:
    return db.session.scalar(db.select(User).where(User.email == email))


def _unit(name: str) -> Unit:
    return db.session.scalar(db.select(Unit).where(Unit.name == name))


def _month_after(day: date) -> date:
    """The first day of the month after `day`'s."""
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _nine_months(starts: date) -> date:
    """The last day of the ninth month of a task that starts on the first of a month."""
    ends = starts
    for _ in range(9):
        ends = _month_after(ends)
    return ends - timedelta(days=1)


def _programme_for(year: int, story: Story) -> Programme:
    """The cooperation programme a call carries out: that of the year its task starts in. When the demo has none
    (neither the fixture meeting's nor next year's), one whose consultation closed the autumn before, made when
    the registers were (see `seed_calls`)."""
    programme = db.session.scalar(db.select(Programme).where(Programme.year == year))
    if programme is None:
        programme = create_programme(
            _user("koordynator@demo.consult.local"), year=year,
            title=f"Program Współpracy Gminy Miejskiej Kraków na rok {year} z organizacjami pozarządowymi",
            consultation_opens=warsaw_to_utc(datetime(year - 1, 9, 1, 0, 0)),
            consultation_closes=warsaw_to_utc(datetime(year - 1, 10, 15, 0, 0)))
    return programme


def _announced_call(spec: CallSpec, runner: User, story: Story, *, announced: int, deadline_after: int,
                    task_starts: date, selection: date) -> Call:
    """The running unit drafts the call (default card of art. 15 and default formal criteria) and announces it."""
    announce_day = story.day(announced)
    deadline = warsaw_to_utc(datetime.combine(announce_day + timedelta(days=deadline_after), time(15, 30)))
    programme = _programme_for(task_starts.year, story)
    with _on(story.at(announced + 1, 9, 15)):
        call = ops.create_call(
            runner, programme, _unit(spec.unit), title=spec.title, task_type=spec.task_type, sphere=spec.sphere,
            funds=D(spec.funds), award_rules=spec.award_rules, task_starts=task_starts,
            task_ends=_nine_months(task_starts), task_conditions=spec.task_conditions, offers_deadline=deadline,
            procedure=spec.procedure, criteria_notes=spec.criteria_notes, selection_date=selection,
            previous_tasks=[{"year": announce_day.year - 1, "task": spec.previous_task,
                             "amount": D(spec.previous_amount)}])
    with _on(story.at(announced, 9, 0)):
        ops.announce_call(runner, call)
    return call


def _write_offer(spec: OfferSpec, call: Call, story: Story, days_ago: int, *, submit: bool = True) -> Offer:
    """An NGO member starts the offer, fills its sections on one day and, if `submit`, files it the next."""
    user = _user(spec.applicant)
    starts, ends = call.task_starts, call.task_ends
    with _on(story.at(days_ago + 1, 18, 30)):
        offer = ops.create_offer(user, call)
        ops.save_offer_section(user, offer, "basic", {"task_type": call.task_type})
        ops.save_offer_section(user, offer, "applicants", {
            "contact_name": spec.contact, "contact_email": spec.applicant, "address": spec.address})
        ops.save_offer_section(user, offer, "task", {
            "title": spec.title, "task_starts": starts, "task_ends": ends, "description": spec.description,
            "place": spec.place, "target_group": spec.target_group,
            "schedule": [{"name": name, "starts": starts, "ends": ends} for name in spec.schedule],
            "results": [{"result": r, "target_value": v, "monitoring": m} for r, v, m in spec.results]})
        if not submit:
            return offer
        ops.save_offer_section(user, offer, "resources", {
            "staff": spec.staff, "material": spec.material, "experience": spec.experience})
        ops.save_offer_section(user, offer, "costs", {
            "cost_lines": [{"category": c, "name": n, "unit": u, "unit_cost": D(cost), "quantity": D(q)}
                           for c, n, u, cost, q in spec.costs],
            "grant_requested": spec.grant_requested, "own_financial": D(spec.own_financial),
            "own_personal": D(spec.own_personal), "own_material": D(spec.own_material),
            "participant_fees": D(spec.participant_fees)})
        ops.save_offer_section(user, offer, "declarations", DECLARED)
    with _on(story.at(days_ago, 11, 20)):
        ops.submit_offer(user, offer)
    return offer


def _close_at_deadline(call: Call) -> None:
    """The scheduled sweep (`consult close-calls`) closes the call for offers five minutes after its deadline."""
    with _on(call.offers_deadline + timedelta(minutes=5)):
        ops.close_calls_past_deadline(SYSTEM)


def _check(actor: User, offer: Offer, unmet: dict[int, str] | None = None) -> None:
    """Record the formal check of every criterion of the call: met, or not met with what is wrong."""
    unmet = unmet or {}
    ops.record_formal_check(actor, offer, {
        c.id: (c.position not in unmet, unmet.get(c.position)) for c in offer.call.formal_criteria})


def _score(member: User, offer: Offer, share: str, comment: str, *, submit: bool = True,
           only: int | None = None) -> None:
    """A member declares no conflict of interest and gives `share` of each criterion's maximum (to half a point);
    `only`: score that many criteria and keep the sheet as a draft."""
    ops.declare_conflict(member, offer, has_conflict=False)
    criteria = offer.call.scored_criteria[:only] if only else offer.call.scored_criteria
    points = {c.id: (c.max_points * D(share) * 2).to_integral_value() / 2 for c in criteria}
    ops.save_scores(member, offer, points, comment=comment)
    if submit:
        ops.submit_scores(member, offer)


def _appoint(coordinator: User, call: Call, story: Story, days_ago: int, staff: list[User], nominee: User) -> None:
    with _on(story.at(days_ago, 13, 0)):
        for user in staff:
            ops.appoint_member(coordinator, call, user, kind="staff")
        ops.appoint_member(coordinator, call, nominee, kind="nominee")


# --- the three calls ---------------------------------------------------------------------------------------


# When each call's task starts: the decided call's the month after its results, the others' after their
# selection of offers.
RESULTS_DAYS_AGO = 58


def _task_starts(story: Story) -> tuple[date, date, date]:
    """(decided, in evaluation, open for offers)."""
    return (_month_after(story.day(RESULTS_DAYS_AGO)), _month_after(story.day(-21)),
            _month_after(story.day(2) + timedelta(days=60)))


def seed_calls(story: Story) -> None:
    """The three calls, in the order their stories began; the programmes they carry out first, as they were
    there before any call (the demo's registers were loaded 120 days ago)."""
    with _on(story.at(115)):
        for starts in _task_starts(story):
            _programme_for(starts.year, story)
    _call_with_results(story)
    _call_in_evaluation(story)
    _call_open_for_offers(story)


def _call_with_results(story: Story) -> Call:
    """Kluby Rodziców: announced 105 days ago, results published 58 days ago, the tasks under way."""
    julia, ewa = _user("wpsrz@demo.consult.local"), _user("komisja@demo.consult.local")
    karol = _user("koordynator@demo.consult.local")
    results_day = RESULTS_DAYS_AGO
    call = _announced_call(PARENTS_CLUBS, julia, story, announced=105, deadline_after=25,
                           task_starts=_task_starts(story)[0], selection=story.day(results_day))
    _appoint(karol, call, story, 100, [julia], ewa)
    zustricz, start_tango, rodzina = (
        _write_offer(spec, call, story, days) for spec, days in zip(PARENTS_CLUBS.offers, (95, 88, 83), strict=True))
    _close_at_deadline(call)
    with _on(story.at(78)):
        for offer in (zustricz, start_tango, rodzina):
            _check(julia, offer)
            ops.accept_offer_formally(julia, offer)
    with _on(story.at(76)):
        ops.start_evaluation(julia, call)
    for member, days, shares in ((julia, 72, ("0.9", "0.8", "0.6")), (ewa, 70, ("0.85", "0.75", "0.65"))):
        with _on(story.at(days, 16, 0)):
            for offer, share, comment in zip((zustricz, start_tango, rodzina), shares, (
                    "Spójny opis, harmonogram i rezultaty; doświadczenie w pracy z rodzinami z Ukrainy.",
                    "Ciekawa oferta ruchowa; koszty zajęć w górnej granicy stawek rynkowych.",
                    "Rezultaty opisane ogólnie, wysoki koszt wynajmu sali w stosunku do zakresu zadania."),
                    strict=True):
                _score(member, offer, share, comment)
    with _on(story.at(results_day + 2, 12, 0)):
        ops.record_decision(karol, zustricz, kind="grant", amount=zustricz.grant_requested)
        ops.record_decision(karol, start_tango, kind="grant", amount=D("45000.00"),
                            reason="Dotacja niższa od wnioskowanej: środki konkursu podzielono według kolejności "
                                   "ofert na liście rankingowej.")
        ops.record_decision(karol, rodzina, kind="refusal",
                            reason="Oferta uzyskała najniższą ocenę merytoryczną; środki konkursu wyczerpały "
                                   "dotacje dla ofert ocenionych wyżej.")
    with _on(story.at(results_day, 12, 0)):
        ops.publish_results(karol, call)
    return call


def _call_in_evaluation(story: Story) -> Call:
    """Centra Aktywności Seniora: its deadline passed 18 days ago; one offer was corrected and accepted, one
    rejected; the commission of three has scored part of the offers (the demo's member has work left)."""
    julia, marek = _user("wpsrz@demo.consult.local"), _user("wdkko@demo.consult.local")
    ewa, karol = _user("komisja@demo.consult.local"), _user("koordynator@demo.consult.local")
    call = _announced_call(SENIOR_CENTRES, julia, story, announced=42, deadline_after=24,
                           task_starts=_task_starts(story)[1], selection=story.day(-14))
    _appoint(karol, call, story, 38, [julia, marek], ewa)
    senior, start_tango, kultura, rodzina = (
        _write_offer(spec, call, story, days)
        for spec, days in zip(SENIOR_CENTRES.offers, (33, 27, 21, 20), strict=True))
    _close_at_deadline(call)
    with _on(story.at(16)):
        _check(julia, senior)
        ops.accept_offer_formally(julia, senior)
        _check(julia, start_tango)
        ops.accept_offer_formally(julia, start_tango)
        _check(julia, kultura, {7: "Oferta podpisana tylko przez prezesa zarządu; statut fundacji wymaga podpisów "
                                   "dwóch członków zarządu."})
        ops.request_correction(julia, kultura, deficiencies="Brak podpisu drugiego członka zarządu pod ofertą "
                                                            "(§ 15 statutu fundacji: reprezentacja łączna).",
                               deadline=story.at(9, 23, 59))
        _check(julia, rodzina, {4: "Cele statutowe fundacji (§ 7 statutu) obejmują wspieranie rodziny i opiekę nad "
                                   "dziećmi do lat 3; nie obejmują działalności na rzecz osób w wieku emerytalnym."})
        ops.reject_offer_formally(julia, rodzina, reason="Zadanie nie mieści się w działalności statutowej "
                                                         "oferenta; tego braku nie można usunąć w trybie poprawek.")
    maria = _user("kultura@demo.consult.local")
    with _on(story.at(14, 17, 45)):
        ops.save_offer_section(maria, kultura, "other", {
            "text": "Oferta podpisana przez prezesa i wiceprezesa zarządu fundacji zgodnie z zasadą reprezentacji "
                    "łącznej; podpisany skan dołączono do korespondencji z Wydziałem."})
        ops.finish_correction(maria, kultura)
    with _on(story.at(13)):
        _check(julia, kultura)
        ops.accept_offer_formally(julia, kultura)
    with _on(story.at(12)):
        ops.start_evaluation(julia, call)
    with _on(story.at(8, 15, 0)):
        for offer, share in ((senior, "0.8"), (start_tango, "0.9"), (kultura, "0.7")):
            _score(julia, offer, share, "Ocena zgodna z kartą; uwagi w protokole komisji.")
    with _on(story.at(6, 11, 0)):
        for offer, share in ((senior, "0.75"), (kultura, "0.7")):
            _score(marek, offer, share, "Oferta realna do wykonania w zakładanym terminie.")
    with _on(story.at(4, 19, 0)):
        _score(ewa, senior, "0.8", "Bogata oferta zajęć, dobre rozpoznanie potrzeb dzielnicy.")
        _score(ewa, start_tango, "0.85", "", submit=False, only=3)
    return call


def _call_open_for_offers(story: Story) -> Call:
    """Dyżury dla cudzoziemców: announced two days ago, offers accepted for four weeks more; Fundacja Zustricz
    started its offer yesterday (sections to finish, then submit)."""
    marek = _user("wdkko@demo.consult.local")
    call = _announced_call(FOREIGNERS_DESKS, marek, story, announced=2, deadline_after=30,
                           task_starts=_task_starts(story)[2], selection=story.day(2) + timedelta(days=51))
    _write_offer(FOREIGNERS_DESKS.offers[0], call, story, 0, submit=False)
    return call
