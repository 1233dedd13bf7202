"""Acceptance rules for verified bundles, case by case and as properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ovop_desktop.domain.bundle_rules import Known, Outcome, classify

A = Outcome.ACCEPTED


def sha(n: int) -> str:
    return f"{n:064x}"


def chain(n: int) -> list[Known]:
    """Bundles 1..n, all accepted, each linking to the one before."""
    return [Known(i, sha(i), A) for i in range(1, n + 1)]


def test_first_bundle_without_prev_is_accepted() -> None:
    assert classify(1, None, sha(1), [], None).outcome is A


def test_next_bundle_linking_to_the_last_is_accepted() -> None:
    assert classify(3, sha(2), sha(3), chain(2), None).outcome is A


def test_same_manifest_again_is_a_duplicate() -> None:
    assert classify(2, sha(1), sha(2), chain(2), None).outcome is Outcome.DUPLICATE


def test_older_than_the_newest_accepted_is_superseded() -> None:
    known = [Known(1, sha(1), A), Known(3, sha(3), A)]
    assert classify(2, sha(1), sha(2), known, None).outcome is Outcome.SUPERSEDED


def test_same_seq_different_content_is_held_as_equivocation() -> None:
    assert classify(2, sha(1), sha(99), chain(2), None).outcome is Outcome.HELD


def test_revoked_key_after_its_last_trusted_seq_is_held() -> None:
    assert classify(3, sha(2), sha(3), chain(2), revoked_through=2).outcome is Outcome.HELD
    assert classify(2, sha(1), sha(2), chain(1), revoked_through=2).outcome is A


def test_broken_chain_and_gap_are_held() -> None:
    assert classify(3, sha(77), sha(3), chain(2), None).outcome is Outcome.HELD
    assert classify(5, sha(4), sha(5), chain(2), None).outcome is Outcome.HELD
    assert classify(2, None, sha(2), chain(1), None).outcome is Outcome.HELD
    assert classify(1, sha(5), sha(1), [], None).outcome is Outcome.HELD


@given(st.lists(st.integers(1, 8), min_size=1, max_size=12))
def test_any_arrival_order_never_accepts_a_seq_twice(order: list[int]) -> None:
    """Genuine bundles arriving in any order: no sequence number is accepted twice."""
    known: list[Known] = []
    for seq in order:
        decision = classify(seq, sha(seq - 1) if seq > 1 else None, sha(seq), known, None)
        if decision.outcome is not Outcome.DUPLICATE:
            known.append(Known(seq, sha(seq), decision.outcome))
    accepted = [k.seq for k in known if k.outcome is A]
    assert len(accepted) == len(set(accepted))
