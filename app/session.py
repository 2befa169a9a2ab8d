"""The signed-in person every act is done by.

A :class:`Session` is made only by the sign-in path (``app.access.sign_in`` and
``record_unlock``, after the key custody checked the PIN) and registered with the
workspace under a random token. Services take a session, never a name: the core
asks the workspace whether the session is one it issued and has not ended
(:meth:`Sessions.person`), and reads the person afresh from the roster, so a
certificate revoked by new reference data counts at once. A ``Session(...)`` built
by hand carries a token the workspace never issued and is refused like nobody.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from app.domain import Officer, StaffRole


class SignedInBy(enum.StrEnum):
    PIN = "pin"  # at the sign-in page of the window
    CLI = "cli"  # on the command line, PIN typed or given in FIELDINSPECT_PIN


@dataclass(frozen=True, slots=True)
class Session:
    """Who is signed in, since when and how; valid only while its workspace knows it."""

    person: Officer
    signed_in_at: datetime
    how: SignedInBy
    token: str = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.person.id

    @property
    def name(self) -> str:
        return self.person.name

    @property
    def role(self) -> StaffRole:
        return self.person.role

    @property
    def agency(self) -> str:
        return self.person.agency_id

    def __getattr__(self, name: str) -> object:
        # Reads like the person for display (``cert_no``, ``certificate_state`` …); it is
        # still the session, not a name, that services are given.
        if name.startswith("_") or name in ("person", "signed_in_at", "how", "token"):
            raise AttributeError(name)
        return getattr(self.person, name)


class Sessions:
    """The sessions a workspace issued and has not ended (one per signed-in person)."""

    def __init__(self) -> None:
        self._open: dict[str, Session] = {}
        self._issued: dict[str, Session] = {}  # every session issued, ended or not
        self._locked: set[str] = set()  # tokens of sessions behind the idle lock
        self.current: Session | None = None

    def _issue(self, person: Officer, at: datetime, how: SignedInBy) -> Session:
        """Only for ``app.access``'s sign-in path, once the PIN was checked.

        The same person signing in again (after the idle lock) goes on with their session,
        usable again; another person's sign-in ends every session behind the lock.
        """
        for token in [t for t in self._locked if self._open[t].person.id != person.id]:
            self._end_person(self._open[token].person.id)
        for open_ in self._open.values():
            if open_.person.id == person.id and open_.how is SignedInBy(how):
                self._locked.discard(open_.token)
                self.current = open_
                return open_
        self._end_person(person.id)
        session = Session(person=person, signed_in_at=at, how=SignedInBy(how), token=secrets.token_urlsafe(24))
        self._open[session.token] = session
        self._issued[session.token] = session
        self.current = session
        return session

    def _end_person(self, person_id: str) -> None:
        for token in [t for t, s in self._open.items() if s.person.id == person_id]:
            del self._open[token]
            self._locked.discard(token)
        if self.current is not None and self.current.person.id == person_id:
            self.current = None

    def lock(self, person_id: str) -> None:
        """The idle lock: ``person_id``'s sessions do nothing until they sign in again with
        their PIN (:meth:`_issue`), or are ended. Anyone may lock; only the PIN unlocks."""
        self._locked.update(t for t, s in self._open.items() if s.person.id == person_id)
        if self.current is not None and self.current.person.id == person_id:
            self.current = None

    def locked(self) -> list[str]:
        """Who is behind the idle lock (their sessions kept, not usable)."""
        return sorted({self._open[t].person.id for t in self._locked})

    def valid(self, session: object) -> bool:
        """True for a session this workspace issued, not ended and not behind the idle lock."""
        return isinstance(session, Session) and self._open.get(session.token) is session \
            and session.token not in self._locked

    def issued(self, session: object) -> bool:
        """True for a session this workspace issued, ended or locked since: work a person began
        while signed in (an import, a recording) is still theirs when it is sealed later."""
        return isinstance(session, Session) and self._issued.get(session.token) is session

    def claimed(self, session: object) -> str:
        """Who a (possibly forged) session claims to be, for the audit entry of a refusal."""
        if isinstance(session, Session):
            return session.person.id
        return str(session) if session else "—"
