"""The province's code of a dossier: read from a scan or typing, checked against every other dossier,
and kept on the dossier with a line in its history.

A center that also receives on the province's one-stop system holds each dossier under two codes. They
must never be confused: a province code is refused when another dossier already has it, or when it is
one of the center's own codes.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..db import write_transaction
from ..models import Dossier, User
from ..rules import codes
from .dossiers import record

PORTAL_CODE_EVENT = "portal_code"

UNREADABLE = (
    "Mã hồ sơ của tỉnh gồm 3 đến 60 ký tự: chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch chéo, "
    "có chữ số và không chỉ có chữ số. Hãy quét mã trên giấy tiếp nhận của tỉnh hoặc nhập lại."
)


@dataclass(frozen=True)
class PortalCode:
    """What was read: the code in upper case ("" when none), or the Vietnamese sentence saying why not."""

    code: str = ""
    error: str | None = None


def read(scanned: str, dossier: Dossier | None = None, *, required: bool = False) -> PortalCode:
    """The province's code from `scanned`, for `dossier` (None at intake, before the dossier exists)."""
    if not (scanned or "").strip():
        return PortalCode(error="Chưa nhập mã hồ sơ trên Cổng Dịch vụ công hoặc hệ thống của tỉnh." if required else None)
    code = codes.parse_portal_code(scanned)
    if code is None:
        return PortalCode(error=UNREADABLE)
    ours = Dossier.select(Dossier.code).where(Dossier.code == code).first()
    if ours is not None:
        return PortalCode(code, f"{code} là mã do Trung tâm cấp cho hồ sơ {ours.code}, không phải mã của tỉnh.")
    others = Dossier.select(Dossier.code).where(Dossier.portal_code == code)
    if dossier is not None:
        others = others.where(Dossier.id != dossier.id)
    other = others.first()
    if other is not None:
        return PortalCode(code, f"Mã {code} đã được ghi cho hồ sơ {other.code}. Hãy kiểm tra lại giấy tiếp nhận của tỉnh.")
    return PortalCode(code)


def save(dossier: Dossier, scanned: str, user: User) -> PortalCode:
    """Record the province's code on `dossier` (or replace it); nothing changes when it is refused."""
    with write_transaction():
        current = Dossier.get_by_id(dossier.id)
        found = read(scanned, current, required=True)
        if found.error or found.code == current.portal_code:
            return found
        Dossier.update(portal_code=found.code).where(Dossier.id == current.id).execute()
        record(current, PORTAL_CODE_EVENT, user, data={"from": current.portal_code, "to": found.code})
    return found
