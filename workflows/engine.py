"""The small engine that every workflow definition is made of."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# A guard looks at the context of the transition and returns None when it may fire, or a message
# (already in the user's language, the caller decides how) saying why it may not.
Guard = Callable[[Any], str | None]


class TransitionRefused(Exception):
    """The transition may not fire; `reason` tells the user why."""

    def __init__(self, reason: str, *, code: str = "refused"):
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class Transition:
    name: str
    source: tuple[str, ...]
    target: str | None  # None: the transition keeps the current state (an edit, a forward)
    roles: frozenset[str]
    guard: Guard | None = None
    label: str = ""

    def __init__(self, name: str, *, source: Iterable[str], target: str | None, roles: Iterable[str],
                 guard: Guard | None = None, label: str = ""):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "source", tuple(source))
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "roles", frozenset(roles))
        object.__setattr__(self, "guard", guard)
        object.__setattr__(self, "label", label or name)

    def leads_from(self, state: str) -> str:
        return state if self.target is None else self.target


@dataclass
class Workflow:
    name: str
    states: list[str]
    transitions: list[Transition]
    initial: str = ""
    _by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.initial:
            self.initial = self.states[0]
        self._by_name = {}
        for t in self.transitions:
            if t.name in self._by_name:
                raise ValueError(f"{self.name}: transition {t.name!r} defined twice")
            unknown = [s for s in (*t.source, t.target) if s is not None and s not in self.states]
            if unknown:
                raise ValueError(f"{self.name}.{t.name}: unknown states {unknown}")
            self._by_name[t.name] = t

    def transition(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"{self.name} has no transition {name!r}") from None

    def check(self, name: str, state: str, roles: Iterable[str], context: Any = None) -> Transition:
        """Return the transition if `roles` may fire it from `state`, else raise TransitionRefused."""
        t = self.transition(name)
        if state not in t.source:
            raise TransitionRefused(f"{self.name}.{name} is not allowed from state {state}", code="state")
        if not t.roles.intersection(roles):
            raise TransitionRefused(f"{self.name}.{name} is not allowed for roles {sorted(roles)}", code="role")
        if t.guard is not None:
            reason = t.guard(context)
            if reason:
                raise TransitionRefused(reason, code="guard")
        return t

    def fire(self, name: str, state: str, roles: Iterable[str], context: Any = None) -> str:
        """Check the transition and return the state it leads to."""
        return self.check(name, state, roles, context).leads_from(state)

    def allowed(self, state: str, roles: Iterable[str], context: Any = None) -> list[Transition]:
        """Transitions that `roles` may fire from `state` now (guards included): what the UI offers."""
        out = []
        roles = set(roles)
        for t in self.transitions:
            if state in t.source and t.roles.intersection(roles):
                if t.guard is None or not t.guard(context):
                    out.append(t)
        return out

    def can(self, name: str, state: str, roles: Iterable[str], context: Any = None) -> bool:
        try:
            self.check(name, state, roles, context)
        except TransitionRefused:
            return False
        return True

    def reachable(self) -> set[str]:
        seen = {self.initial}
        frontier = [self.initial]
        while frontier:
            s = frontier.pop()
            for t in self.transitions:
                if s in t.source:
                    nxt = t.leads_from(s)
                    if nxt not in seen:
                        seen.add(nxt)
                        frontier.append(nxt)
        return seen
