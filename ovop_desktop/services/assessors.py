"""The coordinator's assessor registry: enrolment from a key card, revocation, assignments."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select

from ovop_desktop.data import audit
from ovop_desktop.data.conflicts import conflict_in
from ovop_desktop.data.db import Store
from ovop_desktop.data.models import AssessorRow, AssignmentRow, CandidateRow
from ovop_desktop.data.schema import now_iso
from ovop_desktop.domain.bundle_rules import MAX_SEQ
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.regions import RegionRegistry
from ovop_desktop.errors import NotFoundError, UserFacingError, ValidationError
from ovop_desktop.i18n import _
from ovop_desktop.services.identity import read_card
from ovop_desktop.services.signing import format_fingerprint, parse_fingerprint

CHANNELS = ("phone", "in-person", "other")


@dataclass(frozen=True)
class Assessor:
    id: int
    name: str
    institution: str
    key_id: str
    public_key: bytes
    commodities: tuple[Commodity, ...]
    province_code: str
    home_region_code: str
    confirmed_by: str
    channel: str
    enrolled_at: str
    revoked_through_seq: int | None

    @property
    def fingerprint(self) -> str:
        return format_fingerprint(self.key_id)

    @property
    def revoked(self) -> bool:
        return self.revoked_through_seq is not None


def _assessor(row: AssessorRow) -> Assessor:
    return Assessor(
        id=row.id, name=row.name, institution=row.institution, key_id=row.key_id,
        public_key=base64.b64decode(row.public_key),
        commodities=tuple(Commodity(c) for c in row.commodities.split(",") if c),
        province_code=row.province_code, home_region_code=row.home_region_code,
        confirmed_by=row.confirmed_by, channel=row.channel,
        enrolled_at=row.enrolled_at, revoked_through_seq=row.revoked_through_seq)


def require_assessor(s, assessor_id: int) -> AssessorRow:  # type: ignore[no-untyped-def]
    """The assessor's row, or NotFoundError with a sentence the user can read."""
    row = s.get(AssessorRow, assessor_id)
    if row is None:
        raise NotFoundError(_("There is no assessor with id {id}.").format(id=assessor_id))
    return row


class AssessorService:
    def __init__(self, store: Store, actor: Callable[[], str],
                 regions: Callable[[], RegionRegistry]) -> None:
        self._store = store
        self._actor = actor
        self._regions = regions

    def enrol(self, card_path: Path, fingerprint: str, confirmed_by: str, channel: str,
              commodities: Iterable[Commodity] = (), province_code: str = "",
              home_region_code: str = "") -> Assessor:
        """Register an assessor's key — only with the fingerprint confirmed out of band."""
        card = read_card(Path(card_path))
        try:
            typed = parse_fingerprint(fingerprint)
        except ValueError:
            raise ValidationError(_("The fingerprint must be 64 hexadecimal digits, as shown on "
                                    "the assessor's screen.")) from None
        if typed != card.key_id:
            raise UserFacingError(_(
                "The fingerprint you confirmed does not match this card: the card may have been "
                "swapped on the way. Nothing was enrolled."))
        problems = []
        if not " ".join(confirmed_by.split()):
            problems.append(_("Say who confirmed the fingerprint."))
        if channel not in CHANNELS:
            problems.append(_("The channel must be phone, in-person or other."))
        if province_code and self._regions().province(province_code) is None:
            problems.append(_("Unknown province code {code!r}.").format(code=province_code))
        if home_region_code and self._regions().regency(home_region_code) is None:
            problems.append(_("Unknown kabupaten/kota code {code!r}.").format(
                code=home_region_code))
        if problems:
            raise ValidationError(_("The assessor cannot be enrolled:"), problems)
        actor = self._actor()
        with self._store.write() as s:
            if s.execute(select(AssessorRow).where(AssessorRow.key_id == card.key_id)
                         ).scalar() is not None:
                raise UserFacingError(_("This key is already enrolled."))
            row = AssessorRow(
                name=card.name, institution=card.institution,
                public_key=base64.b64encode(card.public_key_raw).decode("ascii"),
                key_id=card.key_id,
                commodities=",".join(dict.fromkeys(c.value for c in commodities)),
                province_code=province_code, confirmed_by=" ".join(confirmed_by.split()),
                channel=channel, enrolled_at=now_iso(), home_region_code=home_region_code)
            s.add(row)
            s.flush()
            audit.append(s, actor, "assessor.enrol", "assessor", row.id,
                         {"name": row.name, "key_id": row.key_id, "confirmed_by": row.confirmed_by,
                          "channel": channel})
            return _assessor(row)

    def list(self) -> list[Assessor]:
        with self._store.read() as s:
            return [_assessor(r) for r in s.execute(
                select(AssessorRow).order_by(AssessorRow.id)).scalars()]

    def get(self, assessor_id: int) -> Assessor:
        with self._store.read() as s:
            row = require_assessor(s, assessor_id)
            return _assessor(row)

    def by_key(self, key_id: str) -> Assessor | None:
        with self._store.read() as s:
            row = s.execute(select(AssessorRow).where(AssessorRow.key_id == key_id)).scalar()
            return _assessor(row) if row else None

    def revoke(self, assessor_id: int, through_seq: int) -> Assessor:
        """Bundles numbered above `through_seq` from this key are held from now on."""
        if through_seq < 0:
            raise ValidationError(_("The last trusted bundle number cannot be negative."))
        if through_seq > MAX_SEQ:
            raise ValidationError(_("No bundle has a number that high."))
        with self._store.write() as s:
            row = require_assessor(s, assessor_id)
            row.revoked_through_seq, row.revoked_at = through_seq, now_iso()
            audit.append(s, self._actor(), "assessor.revoke", "assessor", assessor_id,
                         {"through_seq": through_seq})
            return _assessor(row)

    # -- assignments -------------------------------------------------------------

    def assign(self, round_id: int, assessor_id: int, candidate_ids: Iterable[int]) -> int:
        """Give candidates of the round to an assessor (their next package carries them)."""
        ids = list(dict.fromkeys(candidate_ids))
        with self._store.write() as s:
            require_assessor(s, assessor_id)
            found = set(s.execute(select(CandidateRow.id).where(
                CandidateRow.id.in_(ids), CandidateRow.round_id == round_id)).scalars())
            missing = [i for i in ids if i not in found]
            if missing:
                raise NotFoundError(_("These candidates are not in the round: {ids}.").format(
                    ids=", ".join(map(str, missing))))
            existing = set(self._assigned(s, round_id, assessor_id))
            new = [i for i in ids if i not in existing]
            conflicted = [(i, r) for i in new if (r := conflict_in(s, assessor_id, i))]
            if conflicted:
                raise UserFacingError(_("Not assigned: conflict of interest with candidate "
                                        "{id} ({reason}).").format(id=conflicted[0][0],
                                                                   reason=conflicted[0][1]))
            s.add_all(AssignmentRow(round_id=round_id, assessor_id=assessor_id, candidate_id=i)
                      for i in new)
            if new:
                audit.append(s, self._actor(), "assignment.set", "assessor", assessor_id,
                             {"round_id": round_id, "candidates": new})
            return len(new)

    def unassign(self, round_id: int, assessor_id: int, candidate_ids: Iterable[int]) -> int:
        ids = list(candidate_ids)
        with self._store.write() as s:
            result = s.execute(delete(AssignmentRow).where(
                AssignmentRow.round_id == round_id, AssignmentRow.assessor_id == assessor_id,
                AssignmentRow.candidate_id.in_(ids)))
            if result.rowcount:
                audit.append(s, self._actor(), "assignment.clear", "assessor", assessor_id,
                             {"round_id": round_id, "candidates": ids})
            return int(result.rowcount or 0)

    def assigned(self, round_id: int, assessor_id: int) -> list[int]:
        with self._store.read() as s:
            return self._assigned(s, round_id, assessor_id)

    @staticmethod
    def _assigned(s, round_id: int, assessor_id: int) -> list[int]:  # type: ignore[no-untyped-def]
        return list(s.execute(select(AssignmentRow.candidate_id).where(
            AssignmentRow.round_id == round_id, AssignmentRow.assessor_id == assessor_id)
            .order_by(AssignmentRow.candidate_id)).scalars())
