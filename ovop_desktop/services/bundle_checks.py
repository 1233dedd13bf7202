"""Checks on a verified bundle's content: signed does not mean well-formed.

Every value comes from JSON that passed the signature check but may still be
hostile or buggy: types are checked before use, and every surprise ends as a
_Reject (a rejection with a reason), never as another exception.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ovop_desktop.domain.bundle_rules import MAX_SEQ
from ovop_desktop.domain.strict_json import JsonError, loads_strict
from ovop_desktop.i18n import _
from ovop_desktop.services.scoring import FINISHED, IN_PROGRESS

MAX_BUNDLE_BYTES = 200_000_000
SHEET_STATUSES = (IN_PROGRESS, FINISHED)


class _Reject(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _manifest_fields(m: dict[str, Any]) -> tuple[int, str | None, str, dict[str, str]]:
    seq, prev, round_uid, rubrics = m.get("seq"), m.get("prev"), m.get("round"), m.get("rubrics")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_SEQ:
        raise _Reject(_("malformed manifest: seq"))
    if prev is not None and not (isinstance(prev, str) and len(prev) == 64):
        raise _Reject(_("malformed manifest: prev"))
    if not isinstance(round_uid, str) or not isinstance(rubrics, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in rubrics.items()):
        raise _Reject(_("malformed manifest: round or rubrics"))
    return seq, prev, round_uid, rubrics


def _sheets(raw: bytes) -> list[dict[str, Any]]:
    try:
        body = loads_strict(raw, max_bytes=MAX_BUNDLE_BYTES)
    except JsonError as exc:
        raise _Reject(_("malformed scores ({reason})").format(reason=exc)) from None
    if not isinstance(body, dict) or body.get("format") != 1 or not isinstance(
            body.get("sheets"), list):
        raise _Reject(_("malformed scores: unknown format"))
    return body["sheets"]


def _resolve(uids: dict[str, int], sheets: list[Any], criteria: dict[str, frozenset[str]],
             members: frozenset[str] = frozenset()) -> list[tuple]:  # type: ignore[type-arg]
    """Check every sheet against the round; map candidate uids to local ids.

    Rows are (candidate id, status, note, [(criterion, level, note)], visited_on or None).

    The values come from signed but still untrusted JSON: any type may stand anywhere,
    so every lookup is guarded by a type check (a list is not hashable, an int not
    iterable), and any surprise is a rejection, never an exception.
    """
    rows, seen = [], set()
    for sheet in sheets:
        if not isinstance(sheet, dict):
            raise _Reject(_("malformed scores: a sheet is not an object"))
        uid, commodity, status = sheet.get("candidate"), sheet.get("commodity"), sheet.get("status")
        if not isinstance(uid, str) or uid not in uids or uid in seen:
            raise _Reject(_("scores for an unknown or repeated candidate"))
        allowed = criteria.get(commodity) if isinstance(commodity, str) else None
        items, note = sheet.get("scores", []), sheet.get("note", "")
        if allowed is None or status not in SHEET_STATUSES or not isinstance(items, list) \
                or not isinstance(note, str):
            raise _Reject(_("malformed scores: commodity, status, scores or note"))
        seen.add(uid)
        scores = []
        # Exact types: JSON gives exactly dict, str and int (and True is not a level).
        for item in items:
            if type(item) is dict:
                criterion, level, text = item.get("criterion"), item.get("level"), \
                    item.get("note", "")
                if type(criterion) is str and type(level) is int and type(text) is str \
                        and criterion in allowed and 1 <= level <= 3:
                    scores.append((criterion, level, text[:2000]))
                    continue
            raise _Reject(_("malformed scores: criterion, level or note"))
        if len({c for c, _level, _text in scores}) != len(scores):
            raise _Reject(_("malformed scores: criterion, level or note"))  # one repeated
        _check_photos(sheet.get("photos", []), allowed, members)
        rows.append((uids[uid], status, note[:2000], scores, _visited_on(sheet)))
    return rows


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _visited_on(sheet: dict[str, Any]) -> str | None:
    """The actual visit date, optional (older bundles lack it): null or a real YYYY-MM-DD."""
    value = sheet.get("visited_on")
    if value is None:
        return None
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    raise _Reject(_("malformed scores: visited_on"))


def _check_photos(photos: Any, allowed: frozenset[str], members: frozenset[str]) -> None:
    """Every photo a sheet names must travel in the container (hash-checked there)."""
    if not isinstance(photos, list):
        raise _Reject(_("malformed scores: photos"))
    for photo in photos:
        sha = photo.get("sha256") if isinstance(photo, dict) else None
        kind = photo.get("kind") if isinstance(photo, dict) else None
        criterion = photo.get("criterion", "") if isinstance(photo, dict) else None
        if not isinstance(sha, str) or kind not in ("jpg", "png") \
                or not isinstance(criterion, str) or (criterion and criterion not in allowed) \
                or f"photos/{sha}.{kind}" not in members:
            raise _Reject(_("malformed scores: a photo is missing or not listed"))
