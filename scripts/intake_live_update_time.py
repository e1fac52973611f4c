"""How long the intake page's live updates take to answer: search, procedure panel and fee/appointment summary.

Run: .venv/bin/python scripts/intake_live_update_time.py [requests]
Uses a scratch database with the seed catalogue and Flask's test client (no network), so it measures the
application itself; prints the median and 95th percentile per kind of update.
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.db import database  # noqa: E402
from app.migrations import migrate  # noqa: E402
from app.models import Counter, Procedure, User  # noqa: E402
from app.services.catalogue import seed_if_empty  # noqa: E402
from app.views.auth import hash_password  # noqa: E402


def main(count: int) -> None:
    folder = tempfile.mkdtemp()
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{folder}/timing.sqlite3", "SECRET_KEY": "x" * 64, "WTF_CSRF_ENABLED": False})
    with database.connection_context():
        migrate(database)
        seed_if_empty()
        counter = Counter.create(name="Quầy 1")
        User.create(username="dem", full_name="Đo thời gian", password_hash=hash_password("mat-khau-do"), roles_text="tiep_nhan", counter=counter)
        procedure_id = Procedure.get(Procedure.code == "2.000815").id
    client = app.test_client()
    client.post("/dang-nhap", data={"username": "dem", "password": "mat-khau-do"})
    htmx = {"HX-Request": "true"}
    updates = {
        "tìm thủ tục": ("/tiep-nhan/thu-tuc", {"q": "chung thuc ban sao"}, htmx),
        "chọn thủ tục (danh sách giấy tờ)": ("/tiep-nhan/xem-truoc", {"pick": procedure_id}, {**htmx, "HX-Target": "procedure-panel"}),
        "đổi số trang (phí, ngày hẹn)": ("/tiep-nhan/xem-truoc", {"procedure": procedure_id, "pages": "7", "copies": "3"}, {**htmx, "HX-Target": "summary"}),
    }
    for label, (path, query, headers) in updates.items():
        times = []
        for _ in range(count):
            start = time.perf_counter()
            response = client.get(path, query_string=query, headers=headers)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        times.sort()
        print(f"{label:36s} trung vị {statistics.median(times):6.1f} ms   p95 {times[int(len(times) * 0.95) - 1]:6.1f} ms   ({count} lần)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
