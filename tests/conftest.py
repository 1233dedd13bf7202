"""Shared fixtures for the whole suite. Qt-free: the core's tests run without PySide6.

Every test gets its own profile directory (OVOP_DATA_DIR), HOME and XDG_DATA_HOME under
tmp_path, so nothing ever touches the real user's data, and the language is reset to
Indonesian afterwards because `set_language` is process-wide.

Tests marked `both_stores` run twice: on SQLite ([sqlite]) and on a real PostgreSQL server
([postgresql]) when OVOP_TEST_PG_URL names one (a role that may CREATE DATABASE, e.g.
postgresql://ovop:ovop@127.0.0.1/postgres); without it the PostgreSQL runs are skipped.
Each test module gets its own database (ovop_test_<random>, dropped afterwards), emptied
before every test. The `store_url` fixture is the store's URL (None: SQLite).
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # harmless for core tests; Qt tests need it

import json  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from postgres_fixtures import (  # noqa: E402
    PG_ENV,
    create_test_database,
    drop_test_database,
    empty_pg_database,
)

from ovop_desktop import i18n  # noqa: E402
from ovop_desktop.services.demo import build_demo  # noqa: E402
from ovop_desktop.services.workspace import Workspace  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A private default profile and home for every test; Indonesian restored afterwards."""
    home = tmp_path / "_home"
    home.mkdir()
    monkeypatch.setenv("OVOP_DATA_DIR", str(tmp_path / "_env_profile"))
    monkeypatch.delenv("OVOP_DB_URL", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


STORES = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_stores: run on SQLite and on PostgreSQL "
                            "(OVOP_TEST_PG_URL)")


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave without the interpreter's final teardown once Qt has been loaded.

    With many widget tests in one process, PySide6 6.12 can abort in the last garbage
    collection at interpreter exit ("Fatal Python error: bool_dealloc") after every test
    has passed and the summary is printed — turning a green run into exit code 134. Every
    report is written by now; os._exit keeps pytest's own exit status.
    """
    if "PySide6" in sys.modules and _EXIT_STATUS:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if ("store_url" in metafunc.fixturenames
            and metafunc.definition.get_closest_marker("both_stores") is not None):
        metafunc.parametrize("store_url", STORES, indirect=True)


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test module; its URL. Skips without a server."""
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql://ovop:ovop@127.0.0.1/"
                    "postgres, a role that may CREATE DATABASE)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests need psycopg (the 'postgres' extra)")
    url = create_test_database(server)
    try:
        yield url
    finally:
        drop_test_database(server, url)


@pytest.fixture
def store_url(request: pytest.FixtureRequest) -> str | None:
    """The store a test runs on: None (the profile's SQLite file) or an empty PostgreSQL
    database at the current schema (call empty_pg_database(url) for one without tables).
    Plain tests get SQLite; `both_stores` tests get both."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return None
    url = request.getfixturevalue("pg_database")
    empty_pg_database(url, keep_schema=True)
    return url


@pytest.fixture
def workspace(tmp_path: Path, store_url: str | None) -> Iterator[Workspace]:
    """A fresh, empty profile opened the way the app opens one."""
    ws = Workspace.open(tmp_path, db_url=store_url)
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def demo_workspace(workspace: Workspace) -> Workspace:
    """The demo coordinator profile: 2022 (closed) and 2024 (open, frozen rubrics) rounds."""
    result = build_demo(workspace)
    assert result.created
    return workspace


@pytest.fixture
def english() -> None:
    """Messages in English, for tests that match on a message's words (reset afterwards)."""
    i18n.set_language("en")


# -- rubric files, good and bad -------------------------------------------------------------

def _default_doc(commodity: str = "anyaman") -> dict:
    """The shipped default rubric for `commodity` as a plain JSON document (a fresh copy)."""
    from ovop_desktop.resource_files import resource

    return json.loads(resource("rubrics", f"{commodity}.json").read_text(encoding="utf-8"))


def _doc_bytes(change: Callable[[dict], object]) -> Callable[[], bytes]:
    def build() -> bytes:
        doc = _default_doc()
        change(doc)
        return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    return build


def _text_bytes(change: Callable[[str], str]) -> Callable[[], bytes]:
    def build() -> bytes:
        return change(json.dumps(_default_doc(), ensure_ascii=False, indent=2)).encode()
    return build


def _crit(doc: dict, a: int = 0, c: int = 0) -> dict:
    return doc["aspects"][a]["criteria"][c]


BAD_RUBRIC_FILES: dict[str, Callable[[], bytes]] = {
    "weights-not-100": _doc_bytes(lambda d: d["aspects"][0].update(weight=41)),
    "weight-zero": _doc_bytes(lambda d: (d["aspects"][0].update(weight=0),
                                         d["aspects"][1].update(weight=d["aspects"][1]["weight"]
                                                                + d["aspects"][0]["weight"]))),
    "descriptor-en-missing": _doc_bytes(lambda d: _crit(d)["levels"][0]["descriptor"].pop("en")),
    "descriptor-id-missing": _doc_bytes(lambda d: _crit(d)["levels"][2]["descriptor"].pop("id")),
    "descriptor-en-blank": _doc_bytes(
        lambda d: _crit(d, 1, 1)["levels"][1]["descriptor"].update(en="  ")),
    "descriptor-id-empty": _doc_bytes(
        lambda d: _crit(d, 1, 0)["levels"][0]["descriptor"].update(id="")),
    "level-missing": _doc_bytes(lambda d: _crit(d)["levels"].pop()),
    "level-repeated": _doc_bytes(lambda d: _crit(d)["levels"][2].update(level=2)),
    "criterion-name-missing": _doc_bytes(lambda d: _crit(d).pop("name")),
    "duplicate-criterion-ids": _doc_bytes(lambda d: _crit(d, 0, 1).update(id=_crit(d)["id"])),
    "criterion-id-equals-aspect-id": _doc_bytes(lambda d: _crit(d).update(id="A")),
    "empty-criterion-id": _doc_bytes(lambda d: _crit(d).update(id=" ")),
    "empty-aspect": _doc_bytes(lambda d: d["aspects"][1].update(criteria=[])),
    "no-aspects": _doc_bytes(lambda d: d.update(aspects=[])),
    "unknown-format-version": _doc_bytes(lambda d: d.update(format_version=2)),
    "format-version-missing": _doc_bytes(lambda d: d.pop("format_version")),
    "unknown-commodity": _doc_bytes(lambda d: d.update(commodity="perhiasan")),
    "weight-string": _doc_bytes(lambda d: d["aspects"][0].update(weight="40")),
    "weight-true": _doc_bytes(lambda d: d["aspects"][0].update(weight=True)),
    "weight-float": _doc_bytes(lambda d: d["aspects"][0].update(weight=40.0)),
    "weight-null": _doc_bytes(lambda d: d["aspects"][0].update(weight=None)),
    "levels-not-a-list": _doc_bytes(lambda d: _crit(d).update(levels={"1": "x"})),
    "aspect-not-an-object": _doc_bytes(lambda d: d["aspects"].append(7)),
    "duplicate-json-key": _text_bytes(
        lambda t: t.replace('"weight": 40', '"weight": 40, "weight": 40', 1)),
    "nan": _text_bytes(lambda t: t.replace('"weight": 40', '"weight": NaN', 1)),
    "infinity": _text_bytes(lambda t: t.replace('"weight": 40', '"weight": -Infinity', 1)),
    "huge-integer": _text_bytes(lambda t: t.replace('"weight": 40', '"weight": ' + "9" * 5000, 1)),
    "truncated": _text_bytes(lambda t: t[: len(t) // 2]),
    "top-level-list": lambda: b"[]",
    "empty-file": lambda: b"",
    "plain-text": lambda: b"Rubrik penilaian anyaman\nAspek A: 40\n",
    "deep-nesting": lambda: b"[" * 200_000 + b"]" * 200_000,
    "non-utf8": lambda: _text_bytes(lambda t: t)().decode("utf-8").replace(
        "Sumber", "Sumber bahan \u00e9").encode("latin-1", errors="replace"),
    "utf16": lambda: json.dumps(_default_doc()).encode("utf-16"),
    "junk-10MB": lambda: os.urandom(10 * 1024 * 1024),
}


@pytest.fixture(params=sorted(BAD_RUBRIC_FILES))
def bad_rubric(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    """(name, bytes) of a rubric file that must be refused; parametrises the test."""
    return request.param, BAD_RUBRIC_FILES[request.param]()
