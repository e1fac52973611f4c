"""Villages and their digital-support teams: created, edited, members added, never deleted once used."""
import pytest

from app.models import AuditLog, Dossier, SupportTeam, TeamMember, Village


def create(auth, **changes):
    data = {"name": "Trung Tiết", "order": "1", "active": "y", "leader_name": "Lê Thị Hoa", "leader_phone": "+84 987 654 321", **changes}
    return auth.post("/quan-tri/thon/moi", data=data, token_from="/quan-tri/thon/moi")


def test_admin_adds_a_village_with_its_team(client, auth, db):
    auth.login("quan_tri")
    response = create(auth)
    assert response.status_code == 303
    village = Village.get(Village.name == "Trung Tiết")
    assert response.headers["Location"] == f"/quan-tri/thon/{village.id}"
    team = SupportTeam.get(SupportTeam.village == village)
    assert (team.leader_name, team.leader_phone) == ("Lê Thị Hoa", "0987654321")
    page = client.get("/quan-tri/thon").get_data(as_text=True)
    assert "Trung Tiết" in page and "Lê Thị Hoa" in page and "Đang dùng" in page
    assert "Thôn và tổ công nghệ số" in client.get("/quan-tri/").get_data(as_text=True)
    assert AuditLog.select().where(AuditLog.action == "village_created").count() == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": ""}, "Không được để trống."),
        ({"name": "   "}, "Không được để trống."),
        ({"name": "T" * 300}, "Tối đa 120 ký tự."),
        ({"leader_phone": "0239 3845 123"}, "Đây là số máy bàn."),
        ({"order": "mot"}, "Not a valid integer value."),
    ],
)
def test_bad_village_is_refused_beside_the_field(client, auth, db, changes, message):
    auth.login("quan_tri")
    response = create(auth, **changes)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page or ("Not a valid" in message and 'class="error"' in page)
    assert Village.select().count() == 0 and SupportTeam.select().count() == 0


def test_duplicate_village_name_is_a_form_error(client, auth, db):
    auth.login("quan_tri")
    create(auth)
    response = create(auth, leader_name="")
    assert response.status_code == 400
    assert "Đã có thôn mang tên này." in response.get_data(as_text=True)
    assert Village.select().count() == 1


def test_members_are_added_and_leave_without_being_deleted(client, auth, db):
    auth.login("quan_tri")
    create(auth)
    village = Village.get()
    path = f"/quan-tri/thon/{village.id}"
    assert auth.post(f"{path}/thanh-vien", data={"member-name": "Trần Văn Bình", "member-phone": "0912 345 678"}, token_from=path).status_code == 303
    bad = auth.post(f"{path}/thanh-vien", data={"member-name": " ", "member-phone": "12"}, token_from=path)
    assert bad.status_code == 400
    assert "Không được để trống." in bad.get_data(as_text=True)
    member = TeamMember.get()
    assert (member.name, member.phone, member.active) == ("Trần Văn Bình", "0912345678", True)
    assert auth.post(f"/quan-tri/thanh-vien/{member.id}", token_from=path).status_code == 303
    assert not TeamMember.get_by_id(member.id).active
    assert "Đã nghỉ" in client.get(path).get_data(as_text=True)


def test_unused_village_can_be_deleted(client, auth, db):
    auth.login("quan_tri")
    create(auth)
    village = Village.get()
    TeamMember.create(team=SupportTeam.get(), name="Người nhập nhầm")
    response = auth.post(f"/quan-tri/thon/{village.id}/xoa", token_from=f"/quan-tri/thon/{village.id}")
    assert response.status_code == 303
    assert Village.select().count() == 0 and SupportTeam.select().count() == 0 and TeamMember.select().count() == 0


def test_village_used_by_a_dossier_is_not_deleted_but_can_be_deactivated(client, auth, make_dossier):
    village = Village.create(name="Đông Hà")
    make_dossier(village_id=village.id)
    auth.login("quan_tri")
    path = f"/quan-tri/thon/{village.id}"
    assert "chỉ có thể ngừng dùng" in client.get(path).get_data(as_text=True)
    response = auth.post(f"{path}/xoa", token_from=path)
    assert response.status_code == 303
    assert "không xóa được" in client.get(path).get_data(as_text=True)
    assert Village.select().count() == 1
    response = auth.post(path, data={"name": "Đông Hà", "order": "0", "leader_name": "", "leader_phone": ""}, token_from=path)
    assert response.status_code == 303
    assert not Village.get_by_id(village.id).active
    assert Dossier.get().village_id == village.id
    assert "Ngừng dùng" in client.get("/quan-tri/thon").get_data(as_text=True)


def test_unknown_village_is_a_404(client, auth, db):
    auth.login("quan_tri")
    assert client.get("/quan-tri/thon/999").status_code == 404
    assert auth.post("/quan-tri/thanh-vien/999").status_code == 404


def test_invisible_and_direction_characters_are_stripped_from_names(client, auth, db):
    auth.login("quan_tri")
    response = create(auth, name="Trung\u200b Ti\u202eết\u202c", leader_name="Lê\u2066 Thị\u200d Hoa\ufeff")
    assert response.status_code == 303
    village = Village.get(Village.name == "Trung Tiết")
    assert SupportTeam.get(SupportTeam.village == village).leader_name == "Lê Thị Hoa"
