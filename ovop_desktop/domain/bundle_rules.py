"""What happens to a verified score bundle: accepted, duplicate, superseded or held.

Pure rules over what the coordinator already holds from the same assessor key,
so they can be tested exhaustively. Signature, round and rubric checks happen
before (those end in `rejected`); these rules decide the rest. Snapshot
semantics: each bundle carries the assessor's full scores, so the highest
accepted sequence number wins and arrival order does not matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ovop_desktop.i18n import N_, _

# A bundle number is stored in an INTEGER column, 32 bits on PostgreSQL: two billion
# bundles from one laptop is no real history, only a way to make the store fail.
MAX_SEQ = 2**31 - 1


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    SUPERSEDED = "superseded"
    HELD = "held"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return _(_LABELS[self])


_LABELS = {
    Outcome.ACCEPTED: N_("accepted"), Outcome.DUPLICATE: N_("duplicate"),
    Outcome.SUPERSEDED: N_("superseded"), Outcome.HELD: N_("held"),
    Outcome.REJECTED: N_("rejected"),
}


@dataclass(frozen=True)
class Known:
    """A bundle already on file from the same key (any outcome but rejected)."""

    seq: int
    manifest_sha256: str
    outcome: Outcome


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str = ""


def classify(seq: int, prev: str | None, manifest_sha256: str, known: list[Known],
             revoked_through: int | None) -> Decision:
    """Decide a bundle's fate from its sequence number, its `prev` link and the history."""
    if any(k.manifest_sha256 == manifest_sha256 for k in known):
        return Decision(Outcome.DUPLICATE, _("already imported; nothing changes"))
    if revoked_through is not None and seq > revoked_through:
        return Decision(Outcome.HELD, _("the key was revoked after bundle {n}; this is bundle "
                                        "{seq}").format(n=revoked_through, seq=seq))
    if any(k.seq == seq for k in known):
        return Decision(Outcome.HELD, _("two different bundles carry sequence number {seq}: "
                                        "the key may be compromised").format(seq=seq))
    accepted = [k for k in known if k.outcome is Outcome.ACCEPTED]
    last = max(accepted, key=lambda k: k.seq, default=None)
    if last is not None and seq < last.seq:
        return Decision(Outcome.SUPERSEDED, _("older than bundle {n}, already accepted; kept "
                                              "as evidence").format(n=last.seq))
    return _chain(seq, prev, known, last)


def _chain(seq: int, prev: str | None, known: list[Known], last: Known | None) -> Decision:
    """Newer than anything accepted: it must link to what the assessor signed before."""
    if seq == 1:
        if prev is None:
            return Decision(Outcome.ACCEPTED)
        return Decision(Outcome.HELD, _("bundle 1 must not point to an earlier bundle"))
    if prev is None:
        return Decision(Outcome.HELD, _("bundle {seq} does not point to the bundle before it")
                        .format(seq=seq))
    linked = next((k for k in known if k.manifest_sha256 == prev), None)
    if linked is not None and linked.seq < seq:
        return Decision(Outcome.ACCEPTED)
    if linked is not None:
        return Decision(Outcome.HELD, _("the chain runs backwards (points to bundle {n})")
                        .format(n=linked.seq))
    expected = last.seq + 1 if last else 1
    if seq == expected and last is not None:
        return Decision(Outcome.HELD, _("broken chain: it does not point to bundle {n}")
                        .format(n=last.seq))
    return Decision(Outcome.HELD, _("sequence gap: bundle {n} has not arrived, so the chain "
                                    "cannot be checked").format(n=seq - 1))
