"""Villages (thôn) and their community digital-support teams: leader, phone and members."""
from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from peewee import JOIN, IntegrityError, fn
from playhouse.flask_utils import get_object_or_404
from wtforms import BooleanField, IntegerField
from wtforms.validators import NumberRange, Optional, ValidationError

from ...db import write_transaction
from ...forms import no_control_characters, text_field
from ...models import Dossier, SupportTeam, TeamMember, Village
from ...rules.identity import normalize_phone
from ...security import audit, roles_required
from . import bp, section

MEMBER = "member"  # the members' form shares the page with the village's: its fields get their own names

section("admin.villages", "Thôn và tổ công nghệ số", "Danh sách thôn, tổ công nghệ số cộng đồng: tổ trưởng, điện thoại, thành viên.", order=45)


def _mobile(field) -> None:
    """An empty phone is allowed; a typed one must be a mobile number, stored as ten digits."""
    if field.data:
        number, error = normalize_phone(field.data)
        if error:
            raise ValidationError(error)
        field.data = number


class VillageForm(FlaskForm):
    name = text_field("Tên thôn", 120)
    order = IntegerField(
        "Thứ tự hiển thị", default=0, validators=[Optional(), NumberRange(min=0, max=9999, message="Thứ tự từ 0 đến 9999.")]
    )
    active = BooleanField("Đang dùng (hiện trong danh sách khi tiếp nhận)", default=True)
    leader_name = text_field("Tổ trưởng tổ công nghệ số", 120, required=False)
    leader_phone = text_field("Điện thoại tổ trưởng", 20, required=False)

    def validate_name(self, field):
        no_control_characters(self, field)

    def validate_leader_name(self, field):
        no_control_characters(self, field)

    def validate_leader_phone(self, field):
        _mobile(field)


class MemberForm(FlaskForm):
    name = text_field("Họ và tên thành viên", 120)
    phone = text_field("Điện thoại", 20, required=False)

    def validate_name(self, field):
        no_control_characters(self, field)

    def validate_phone(self, field):
        _mobile(field)


def _village(village_id: int) -> Village:
    village = get_object_or_404(Village, Village.id == village_id)
    return village


def _team(village: Village) -> SupportTeam:
    return SupportTeam.get_or_none(SupportTeam.village == village) or SupportTeam(village=village)


def _in_use(village: Village) -> bool:
    """Whether a dossier names the village or its team: then its history must keep it."""
    team = SupportTeam.get_or_none(SupportTeam.village == village)
    query = Dossier.select().where(Dossier.village == village)
    if team is not None:
        query = Dossier.select().where((Dossier.village == village) | (Dossier.team == team))
    return query.exists()


@bp.get("/thon")
@roles_required("quan_tri")
def villages():
    """Every village with its team, active ones first."""
    rows = (
        Village.select(Village, SupportTeam)
        .join(SupportTeam, on=(SupportTeam.village == Village.id), join_type=JOIN.LEFT_OUTER, attr="team")
        .order_by(Village.active.desc(), Village.order, Village.name)
    )
    members = dict(
        TeamMember.select(TeamMember.team, fn.COUNT(TeamMember.id)).where(TeamMember.active).group_by(TeamMember.team).tuples()
    )
    return render_template("admin/villages.html", villages=rows, members=members)


def _save(form: VillageForm, village: Village) -> bool:
    """Village and team together, or neither; a taken name becomes a message beside the field."""
    village.name = form.name.data
    village.order = form.order.data or 0
    village.active = form.active.data
    try:
        with write_transaction():
            village.save()
            team = _team(village)
            team.leader_name = form.leader_name.data or ""
            team.leader_phone = form.leader_phone.data or ""
            team.save()
    except IntegrityError:
        form.name.errors.append("Đã có thôn mang tên này.")
        return False
    return True


@bp.route("/thon/moi", methods=["GET", "POST"])
@roles_required("quan_tri")
def create_village():
    """A new village and its digital-support team."""
    form = VillageForm()
    if form.validate_on_submit():
        village = Village()
        if _save(form, village):
            audit("village_created", village.name)
            flash(f"Đã thêm thôn {village.name}.", "success")
            return redirect(url_for("admin.edit_village", village_id=village.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/village_form.html", form=form, village=None, member_form=None), status


@bp.route("/thon/<int:village_id>", methods=["GET", "POST"])
@roles_required("quan_tri")
def edit_village(village_id):
    """Name, order and active flag of a village; its team's leader and members."""
    village = _village(village_id)
    team = _team(village)
    form = VillageForm(obj=village if request.method == "GET" else None)
    if request.method == "GET":
        form.leader_name.data = team.leader_name
        form.leader_phone.data = team.leader_phone
    if form.validate_on_submit():
        if _save(form, village):
            audit("village_updated", f"{village.name}: {'đang dùng' if village.active else 'ngừng dùng'}")
            flash(f"Đã lưu thôn {village.name}.", "success")
            return redirect(url_for("admin.villages"), 303)
    status = 400 if request.method == "POST" else 200
    return _village_page(village, form, MemberForm(formdata=None, prefix=MEMBER), status)


def _village_page(village: Village, form: VillageForm, member_form: MemberForm, status: int):
    team = _team(village)
    members = team.members.order_by(TeamMember.active.desc(), TeamMember.name) if team.id else []
    return render_template(
        "admin/village_form.html", form=form, village=village, team=team, members=members,
        member_form=member_form, in_use=_in_use(village),
    ), status


@bp.post("/thon/<int:village_id>/xoa")
@roles_required("quan_tri")
def delete_village(village_id):
    """Delete a village never used by a dossier; one that was is kept and can only be deactivated."""
    village = _village(village_id)
    if _in_use(village):
        flash(f"Thôn {village.name} đã có hồ sơ nên không xóa được (hồ sơ cũ vẫn cần tên thôn). Hãy bỏ chọn «Đang dùng» để ngừng dùng.", "error")
        return redirect(url_for("admin.edit_village", village_id=village.id), 303)
    with write_transaction():
        team = SupportTeam.get_or_none(SupportTeam.village == village)
        if team is not None:
            TeamMember.delete().where(TeamMember.team == team).execute()
            team.delete_instance()
        village.delete_instance()
    audit("village_deleted", village.name)
    flash(f"Đã xóa thôn {village.name}.", "success")
    return redirect(url_for("admin.villages"), 303)


@bp.post("/thon/<int:village_id>/thanh-vien")
@roles_required("quan_tri")
def add_member(village_id):
    """Add a member to the village's team."""
    village = _village(village_id)
    member_form = MemberForm(prefix=MEMBER)
    if not member_form.validate_on_submit():
        form = VillageForm(obj=village, formdata=None)
        form.leader_name.data, form.leader_phone.data = _team(village).leader_name, _team(village).leader_phone
        return _village_page(village, form, member_form, 400)
    with write_transaction():
        team = _team(village)
        if team.id is None:
            team.save()
        TeamMember.create(team=team, name=member_form.name.data, phone=member_form.phone.data or "")
    audit("team_member_added", f"{member_form.name.data} (thôn {village.name})")
    flash(f"Đã thêm {member_form.name.data} vào tổ công nghệ số thôn {village.name}.", "success")
    return redirect(url_for("admin.edit_village", village_id=village.id), 303)


@bp.post("/thanh-vien/<int:member_id>")
@roles_required("quan_tri")
def toggle_member(member_id):
    """A member leaves the team or comes back; kept, because dossiers may name them."""
    member = get_object_or_404(TeamMember, TeamMember.id == member_id)
    member.active = not member.active
    member.save()
    audit("team_member_updated", f"{member.name}: {'đang tham gia' if member.active else 'đã nghỉ'}")
    return redirect(url_for("admin.edit_village", village_id=member.team.village_id), 303)
