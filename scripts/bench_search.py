"""Time the dossier list and its search on a filled database: `DATABASE_URL=... python scripts/bench_search.py`.

Fill the database first with `python3 run.py demo-data --dossiers 1000000`. Each request goes through the
whole app (routing, login, query, template) with Flask's test client; the figures are wall-clock
milliseconds, the median and the slowest of a few runs.
"""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.db import database  # noqa: E402
from app.models import Dossier, User  # noqa: E402

RUNS = 7


def main() -> int:
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
    with database.connection_context():
        total = Dossier.select().count()
        leader = User.select().where(User.roles_text.contains("lanh_dao")).first()
        specialist = User.select().where(User.roles_text.contains("chuyen_mon")).first()
        sample = Dossier.select().order_by(Dossier.id.desc()).offset(total // 3).first()
    if leader is None or sample is None:
        print("Cơ sở dữ liệu chưa có dữ liệu mẫu: chạy python3 run.py demo-data trước.", file=sys.stderr)
        return 1
    cases = [
        ("hàng đợi chung (hồ sơ chưa có kết quả)", leader, "/ho-so", {}),
        ("hàng đợi: chỉ hồ sơ quá hạn", leader, "/ho-so", {"han": "qua_han"}),
        ("hồ sơ của tôi (chuyên môn)", specialist, "/ho-so/cua-toi", {}),
        ("tìm theo mã đầy đủ", leader, "/ho-so", {"q": sample.code}),
        ("tìm theo số cuối của mã", leader, "/ho-so", {"q": str(sample.sequence)}),
        ("tìm theo tên không dấu", leader, "/ho-so", {"q": "nguyen thi lan"}),
        ("tìm theo số định danh", leader, "/ho-so", {"q": sample.id_number}),
        ("tìm theo số điện thoại", leader, "/ho-so", {"q": sample.phone or "0912345678"}),
        ("tìm theo họ (rất nhiều kết quả)", leader, "/ho-so", {"q": "nguyen"}),
        ("tên + lĩnh vực + khoảng ngày", leader, "/ho-so", {"q": "tran van", "linh_vuc": sample.field_id, "tu_ngay": "2026-01-01", "den_ngay": "2026-06-30"}),
        ("chỉ họ + lĩnh vực (trường hợp xấu nhất)", leader, "/ho-so", {"q": "nguyen", "linh_vuc": sample.field_id}),
        ("mọi trạng thái, trang 20", leader, "/ho-so", {"trang_thai": "tat_ca", "trang": 20}),
        ("đã trả kết quả", leader, "/ho-so", {"trang_thai": "returned"}),
        ("một hồ sơ", leader, f"/ho-so/{sample.code}", {}),
    ]
    print(f"{total:,} hồ sơ trong {os.environ.get('DATABASE_URL', 'db/motcua.sqlite3')}".replace(",", "."))
    for label, user, path, query in cases:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get(path, query_string=query)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        print(f"  {label:<45} trung vị {statistics.median(timings):7.1f} ms   chậm nhất {max(timings):7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
