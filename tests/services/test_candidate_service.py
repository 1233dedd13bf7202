"""The candidate registry: validation, edit history, duplicates — through a real store."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ovop_desktop.domain.candidates import CandidateData, EntryKind
from ovop_desktop.domain.commodities import Commodity
from ovop_desktop.domain.documents import Document
from ovop_desktop.domain.profile import Role
from ovop_desktop.errors import UserFacingError, ValidationError
from ovop_desktop.services.workspace import Workspace

DODOL = CandidateData(name="IKM Dodol Sari Rasa", region_code="32.05",
                      commodity=Commodity.MAKANAN_MINUMAN, product="Dodol Garut",
                      nib="9120001234567", documents=frozenset({Document.NIB, Document.HALAL}),
                      sentra_sk_date=date(2019, 3, 12), workforce=14)


@pytest.fixture
def round_id(workspace: Workspace) -> int:
    workspace.profile.init(Role.COORDINATOR, "Koordinator Uji", "Ditjen IKMA")
    workspace.rubrics.install_defaults()
    return workspace.rounds.create(2024, "Penghargaan OVOP 2024").id


def test_create_and_read_back_every_field(workspace: Workspace, round_id: int) -> None:
    created = workspace.candidates.create(round_id, DODOL)
    again = workspace.candidates.get(created.id)
    assert again.data == DODOL
    assert again.round_id == round_id and again.source == "form"


def test_text_is_normalised_before_storing(workspace: Workspace, round_id: int) -> None:
    messy = replace(DODOL, name="  IKM   Dodol Sari Rasa  ", nib="9120 0012.34567")
    stored = workspace.candidates.create(round_id, messy).data
    assert stored.name == "IKM Dodol Sari Rasa" and stored.nib == "9120001234567"


@pytest.mark.parametrize("change, needle", [
    ({"name": "  "}, "name"),
    ({"product": ""}, "product"),
    ({"region_code": "99.99"}, "99.99"),
    ({"nib": "12345"}, "13"),
    ({"name": "Batik\u202eFake"}, "invisible"),
    ({"name": "Zero\u200bWidth"}, "invisible"),
    ({"name": "IKM D\u043edol Sari Rasa"}, "Cyrillic"),      # a Cyrillic "о" among Latin letters
    ({"owner": "Ibu \u0405iti"}, "U+0405"),                   # Cyrillic "Ѕ"
    ({"sentra_name": "Sentra \u0392atik"}, "Greek"),          # Greek "Β"
    ({"name": "x" * 201}, "200"),
    ({"workforce": -3}, "workforce"),
    ({"kind": EntryKind.REEVALUATION}, "previous star"),
    ({"previous_star": 2}, "new candidate"),
])
def test_bad_records_are_refused_and_nothing_is_written(
        workspace: Workspace, round_id: int, english: None, change: dict, needle: str) -> None:
    with pytest.raises(ValidationError) as caught:
        workspace.candidates.create(round_id, replace(DODOL, **change))
    assert needle.lower() in str(caught.value).lower()
    assert workspace.candidates.summaries(round_id) == []


def test_markup_quotes_and_emoji_are_kept_verbatim(workspace: Workspace, round_id: int) -> None:
    name = "<b>Batik</b> \"Ngayogyakarta\" Ma'ruf 🌺 Łódź"
    stored = workspace.candidates.create(round_id, replace(DODOL, name=name)).data
    assert stored.name == name


def test_every_edit_is_kept_in_history(workspace: Workspace, round_id: int) -> None:
    created = workspace.candidates.create(round_id, DODOL)
    workspace.candidates.update(created.id, replace(DODOL, product="Dodol Picnic", workforce=20))
    workspace.candidates.update(created.id, replace(DODOL, product="Dodol Picnic", workforce=20))
    history = workspace.candidates.history(created.id)
    assert {(h.field, h.old, h.new) for h in history} == {
        ("product", "Dodol Garut", "Dodol Picnic"), ("workforce", "14", "20")}
    assert all(h.actor == "Koordinator Uji" for h in history)


def test_same_ikm_twice_in_a_round_is_refused(workspace: Workspace, round_id: int) -> None:
    workspace.candidates.create(round_id, DODOL)
    with pytest.raises(UserFacingError):
        workspace.candidates.create(round_id, replace(DODOL, name="ikm dodol  SARI rasa"))
    assert len(workspace.candidates.summaries(round_id)) == 1


def test_possible_duplicates_by_nib_or_name_and_place(workspace: Workspace, round_id: int) -> None:
    first = workspace.candidates.create(round_id, DODOL)
    same_nib = replace(DODOL, name="Lain", commodity=Commodity.KAIN_BATIK)
    same_name = replace(DODOL, nib="", commodity=Commodity.ANYAMAN)
    elsewhere = replace(DODOL, nib="", region_code="32.71")
    assert workspace.candidates.possible_duplicates(round_id, same_nib) == [first.id]
    assert workspace.candidates.possible_duplicates(round_id, same_name) == [first.id]
    assert workspace.candidates.possible_duplicates(round_id, elsewhere) == []
    assert workspace.candidates.possible_duplicates(round_id, DODOL, exclude_id=first.id) == []


def test_a_name_in_look_alike_letters_of_another_script_is_a_possible_duplicate(
        workspace: Workspace, round_id: int) -> None:
    """Threat 18: "РАРАУА" written wholly in Cyrillic looks exactly like "PAPAYA"; it is not
    refused (one script), but it is the same IKM for duplicate detection."""
    first = workspace.candidates.create(round_id, replace(DODOL, name="PAPAYA", nib=""))
    spoof = replace(DODOL, name="\u0420\u0410\u0420\u0410\u0423\u0410", nib="")
    assert workspace.candidates.possible_duplicates(round_id, spoof) == [first.id]
    mixed_scripts_of_the_world = "Batik Ñoño Łódź Nguyễn Đặng 巴迪 باتيك"  # never refused
    workspace.candidates.create(round_id, replace(DODOL, name=mixed_scripts_of_the_world,
                                                  nib=""))


def test_summaries_carry_region_province_and_screening(workspace: Workspace,
                                                       round_id: int) -> None:
    workspace.candidates.create(round_id, DODOL)
    (row,) = workspace.candidates.summaries(round_id)
    assert (row.region_name, row.province_code, row.province_name) == (
        "Kabupaten Garut", "32", "Jawa Barat")
    assert row.decision.value == "pending"


def test_demo_has_the_2024_numbers(demo_workspace: Workspace) -> None:
    round_ = demo_workspace.current_round()
    assert round_ is not None
    summary = demo_workspace.screening.summary(round_.id)
    assert (summary.proposals.total, summary.provinces, summary.proposals.passed) == (159, 22, 89)
    assert summary.reevaluations.total == 77
    rows = demo_workspace.candidates.summaries(round_.id)
    assert len({r.name for r in rows}) == len(rows) == 236
    assert {r.commodity for r in rows} == set(Commodity)


def test_every_demo_place_is_a_real_kab_kota() -> None:
    from ovop_desktop.services.demo_candidates import PLACES
    from ovop_desktop.services.regions import load_regions

    registry = load_regions()
    assert [code for code, _c, _p in PLACES if registry.regency(code) is None] == []


# -- associations (the conflict-of-interest rule "institution is an association") ---------------

def test_associations_are_cleaned_stored_and_kept_in_history(workspace: Workspace,
                                                            round_id: int) -> None:
    messy = replace(DODOL, associations=("  Koperasi  Sentra Dodol ", "HIMKI; GAPMMI",
                                         "himki.", "-", ""))
    created = workspace.candidates.create(round_id, messy)
    assert created.data.associations == ("Koperasi Sentra Dodol", "HIMKI", "GAPMMI")
    assert workspace.candidates.get(created.id).data.associations == created.data.associations
    workspace.candidates.update(created.id, replace(created.data, associations=("GAPMMI",)))
    (entry,) = workspace.candidates.history(created.id)
    assert (entry.field, entry.old, entry.new) == (
        "associations", "Koperasi Sentra Dodol\nHIMKI\nGAPMMI", "GAPMMI")


@pytest.mark.parametrize("associations, needle", [
    (("x" * 201,), "200"),
    (tuple(f"Asosiasi {i}" for i in range(21)), "20"),
    (("Asosiasi\u202eBatik",), "invisible"),
])
def test_bad_associations_are_refused(workspace: Workspace, round_id: int, english: None,
                                      associations: tuple[str, ...], needle: str) -> None:
    with pytest.raises(ValidationError) as caught:
        workspace.candidates.create(round_id, replace(DODOL, associations=associations))
    assert "associations" in str(caught.value).lower() and needle in str(caught.value)


def test_associations_come_in_with_proposals_and_go_out_with_the_registry(
        workspace: Workspace, round_id: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv as csv_module
    import io

    from ovop_desktop.domain.candidates import field_label
    from ovop_desktop.services.registry_export import export_registry

    csv = tmp_path / "usulan.csv"
    csv.write_text('Nama IKM;Kabupaten/Kota;Komoditas;Produk;Keanggotaan Asosiasi\r\n'
                   'Anyaman Ketak;Lombok Barat;Anyaman;Tas ketak;"HIMKI\nKoperasi Ketak; '
                   'Asosiasi Perajin Anyaman Indonesia"\r\n'
                   'Tenun Sikka;Kab. Sikka;Tenun;Tenun ikat;-\r\n', encoding="utf-8")
    preview = workspace.proposals.preview(csv)
    assert "associations" in preview.mapping
    report = workspace.proposals.run(preview, round_id)
    assert len(report.accepted) == 2 and not report.rejected
    stored = {c.data.name: c.data.associations for c in workspace.candidates.all(round_id)}
    assert stored == {"Anyaman Ketak": ("HIMKI", "Koperasi Ketak",
                                        "Asosiasi Perajin Anyaman Indonesia"),
                      "Tenun Sikka": ()}
    out = tmp_path / "registri.csv"
    export_registry(workspace, round_id, out)
    header, *rows = csv_module.reader(io.StringIO(out.read_text(encoding="utf-8-sig")),
                                      delimiter=";")
    column = header.index(field_label("associations"))
    assert sorted(r[column] for r in rows) == [
        "", "HIMKI; Koperasi Ketak; Asosiasi Perajin Anyaman Indonesia"]
