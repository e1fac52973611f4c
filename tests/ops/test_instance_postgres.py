"""One server per PostgreSQL database: a session advisory lock held by a connection of the server's own."""
import pytest

from app.instance import AlreadyRunning, lock_for, running_on
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="the PostgreSQL instance lock")


@pytest.fixture
def other_database(postgres_url):
    """A second database on the same server, for the lock that must not be refused."""
    import psycopg

    server = postgres_url.rsplit("/", 1)[0]
    name = f"{postgres_url.rsplit('/', 1)[1]}_autre"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_second_lock_on_the_same_database_is_refused(database_url):
    assert not running_on(database_url)
    first = lock_for(database_url).acquire()
    try:
        assert running_on(database_url)
        with pytest.raises(AlreadyRunning, match="đang chạy trên cơ sở dữ liệu này"):
            lock_for(database_url).acquire()
    finally:
        first.release()
    assert not running_on(database_url)
    lock_for(database_url).acquire().release()


def test_a_lock_on_another_database_is_not_refused(database_url, other_database):
    first = lock_for(database_url).acquire()
    try:
        assert not running_on(other_database)
        lock_for(other_database).acquire().release()
    finally:
        first.release()


def test_the_lock_goes_with_its_connection(database_url):
    """A server killed mid-morning leaves no lock behind: its connection ends, and the lock with it."""
    first = lock_for(database_url).acquire()
    first.connection.close()
    assert not running_on(database_url)


def test_a_second_server_on_the_same_database_does_not_start(database_url):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    first = lock_for(database_url).acquire()
    try:
        env = dict(os.environ, DATABASE_URL=database_url)
        serve = "import sys; from app.cli import main; sys.exit(main(['serve', '--port', '0']))"
        # Were the lock escaped, the server would start and serve until the timeout.
        result = subprocess.run([sys.executable, "-c", serve], cwd=root, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 1
        assert "đang chạy trên cơ sở dữ liệu này" in result.stderr
    finally:
        first.release()
