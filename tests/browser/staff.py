"""Staff and dossiers made straight in a browser-test server's database, and a login through the form."""
import datetime

from app.db import database, open_database
from app.models import Counter, Procedure, User
from app.rules.status import Action
from app.services.dossiers import Application, act, receive
from tests.conftest import PASSWORD, ROLE_USERS, _HASH


def make_staff(server):
    """One user per role (usernames as in tests/conftest.py), the counter officer at Quầy 1."""
    open_database(server.database_url)
    with database.connection_context():
        counter, _ = Counter.get_or_create(name="Quầy 1", defaults={"order": 1})
        for role, username in ROLE_USERS.items():
            User.create(username=username, full_name=f"Cán bộ {username}", password_hash=_HASH, roles_text=role,
                        counter=counter if role == "tiep_nhan" else None)


def make_dossier(name: str, received_at: datetime.datetime, code="1.001193", started=False):
    """A dossier received at Quầy 1 and, if `started`, taken up by the leader an hour later."""
    with database.connection_context():
        dossier = receive(
            Application(procedure=Procedure.get(Procedure.code == code), applicant_name=name, id_number="001203012345", phone="0912345678"),
            _user("tiep_nhan"), Counter.get(Counter.name == "Quầy 1"), received_at,
        )
        if started:
            dossier = act(dossier, Action.START, _user("lanh_dao"), at=received_at + datetime.timedelta(hours=1))
        return dossier


def make_ready_dossier(name: str, received_at: datetime.datetime, code="1.001193", shelf="Kệ A"):
    """A dossier received at Quầy 1, started and approved: its result waits at the pickup desk."""
    dossier = make_dossier(name, received_at, code, started=True)
    with database.connection_context():
        return act(dossier, Action.APPROVE, _user("lanh_dao"), data={"shelf": shelf}, at=received_at + datetime.timedelta(hours=2))


def _user(role: str) -> User:
    return User.get(User.username == ROLE_USERS[role])


def login(page, server, role):
    page.goto(server.url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(ROLE_USERS[role])
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(server.url + "/")
