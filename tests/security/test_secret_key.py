"""The generated secret key lives beside the database it protects, never in the working directory."""
import pytest

from app import ROOT, create_app


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A working directory of its own, and no key from the environment."""
    monkeypatch.delenv("MOTCUA_SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def test_an_in_memory_database_writes_nothing_in_the_working_directory(elsewhere):
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite:///:memory:"})

    assert list(elsewhere.iterdir()) == []
    assert (ROOT / "db" / "secret_key").read_text().strip() == app.config["SECRET_KEY"]


def test_a_file_databases_key_lands_beside_it_and_is_kept(elsewhere, tmp_path):
    database = tmp_path / "data" / "motcua.sqlite3"

    first = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{database}"})
    again = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{database}"})

    assert (database.parent / "secret_key").read_text().strip() == first.config["SECRET_KEY"]
    assert again.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_databases_key_lands_beside_the_real_file(elsewhere, tmp_path):
    real = tmp_path / "data" / "motcua.sqlite3"
    real.parent.mkdir()
    real.touch()
    link = tmp_path / "link" / "motcua.sqlite3"
    link.parent.mkdir()
    link.symlink_to(real)

    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{link}"})

    assert (real.parent / "secret_key").read_text().strip() == app.config["SECRET_KEY"]
    assert not (link.parent / "secret_key").exists()
