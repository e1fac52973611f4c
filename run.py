"""Command line of Một Cửa: sets itself up in .venv, then serves, tests and manages the center's data."""
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
TEST_REQUIREMENTS = ROOT / "requirements-test.txt"
POSTGRES_REQUIREMENTS = ROOT / "requirements-postgres.txt"


def _venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _in_virtualenv() -> bool:
    return sys.prefix != getattr(sys, "base_prefix", sys.prefix)


def _install(python: str, requirements: Path) -> None:
    """Install a requirements file, skipping pip when a stamp shows it is already installed."""
    stamp = Path(sys.prefix if python == sys.executable else VENV) / f".installed-{requirements.name}"
    wanted = requirements.read_bytes()
    if requirements == TEST_REQUIREMENTS:
        wanted += REQUIREMENTS.read_bytes()
    if stamp.exists() and stamp.read_bytes() == wanted:
        return
    print(f"Đang cài đặt các gói trong {requirements.name} ...", flush=True)
    subprocess.run(
        [python, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", str(requirements)],
        check=True,
    )
    stamp.write_bytes(wanted)


def _wants_postgres() -> bool:
    """Whether the database (or the test suite's) is PostgreSQL, whose driver is then installed too."""
    urls = (os.environ.get(name, "") for name in ("MOTCUA_DATABASE_URL", "DATABASE_URL", "MOTCUA_TEST_DATABASE_URL"))
    return any(url.startswith(("postgres://", "postgresql://")) for url in urls)


def _install_all(python: str) -> None:
    _install(python, REQUIREMENTS)
    if _wants_postgres():
        _install(python, POSTGRES_REQUIREMENTS)


def bootstrap(argv: list[str]) -> None:
    """Make sure we run inside a virtual environment with the requirements installed."""
    if _in_virtualenv():
        _install_all(sys.executable)
        return
    python = _venv_python()
    if not python.exists():
        print("Đang tạo môi trường ảo .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    _install_all(str(python))
    completed = subprocess.run([str(python), str(ROOT / "run.py"), *argv])
    sys.exit(completed.returncode)


def run_tests(pytest_args: list[str]) -> int:
    """Install the test requirements into this environment and run the whole suite, one worker per
    core (at most four: each browser test's worker runs its own Chromium and server); `-n 0` runs
    in one process."""
    _install(sys.executable, TEST_REQUIREMENTS)
    if not any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in pytest_args):
        pytest_args = ["-n", "auto", "--maxprocesses", "4", *pytest_args]
    return subprocess.run([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    bootstrap(argv)
    if argv[:1] == ["test"]:
        return run_tests(argv[1:])
    sys.path.insert(0, str(ROOT))
    from app.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
