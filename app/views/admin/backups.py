"""Backups (sao lưu): the copies kept beside the database, one made on demand, one downloaded."""
from flask import abort, current_app, flash, redirect, render_template, send_file, url_for

from ...security import audit, roles_required
from ...services import backup
from ...settings import load as load_settings
from . import bp, section

section("admin.backups", "Sao lưu", "Các bản sao lưu tự động hằng ngày, sao lưu ngay, tải một bản về máy hoặc USB.", order=80)


def _database_file():
    """The SQLite file or the PostgreSQL database whose copies this page shows."""
    return backup.source_for(current_app.config["DATABASE_URL"], current_app.config.get("BACKUP_FOLDER"))


@bp.get("/sao-luu")
@roles_required("quan_tri")
def backups():
    """The backups kept in db/backups, newest first, with size and date."""
    database_file = _database_file()
    found = backup.list_backups(database_file) if database_file else []
    return render_template(
        "admin/backups.html",
        backups=found,
        sizes={item.name: backup.size_text(item.size) for item in found},
        folder=backup.folder_for(database_file) if database_file else None,
        manual_label=backup.MANUAL_LABEL,
    )


@bp.post("/sao-luu")
@roles_required("quan_tri")
def make_backup():
    """Make a checked copy by hand now, kept apart from the daily ones, then apply the rotation."""
    database_file = _database_file()
    if database_file is None:
        abort(404)
    try:
        made = backup.make_backup(database_file, label=backup.MANUAL_LABEL)
    except backup.BackupError as error:
        flash(f"Không sao lưu được: {error}", "error")
        return redirect(url_for("admin.backups"), 303)
    settings = load_settings()
    backup.rotate(database_file, settings["backup_keep_daily"], settings["backup_keep_monthly"], settings["backup_keep_manual_days"])
    audit("backup_made", made.name)
    flash(f"Đã sao lưu và kiểm tra: {made.name} ({backup.size_text(made.size)}).", "success")
    return redirect(url_for("admin.backups"), 303)


@bp.get("/sao-luu/<name>")
@roles_required("quan_tri")
def download_backup(name):
    """One backup file, downloaded under its own name."""
    database_file = _database_file()
    found = backup.find_backup(database_file, name) if database_file else None
    if found is None:
        abort(404)
    audit("backup_downloaded", found.name)
    mimetype = "application/octet-stream" if isinstance(database_file, backup.PostgresDatabase) else "application/vnd.sqlite3"
    response = send_file(found.path, as_attachment=True, download_name=found.name, mimetype=mimetype, etag=False)
    # A copy of every citizen's data: no browser or proxy keeps it after the download.
    response.headers["Cache-Control"] = "no-store"
    return response
