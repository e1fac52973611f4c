"""`run.py reconcile-dossiers --period P FILE`: the province's export of a period compared with our dossiers."""
import sys
from pathlib import Path

from ..formatting import number
from ..rules.periods import PeriodError, parse
from ..services import portal_reconcile
from ..settings import load as load_settings


def register(subparsers) -> None:
    command = subparsers.add_parser(
        "reconcile-dossiers",
        help="đối soát tệp xuất hồ sơ của hệ thống tỉnh (CSV/XLSX) với hồ sơ của một kỳ",
        description=(
            "Tệp cần các cột MaHoSo, NgayTiepNhan, TrangThaiHoSo (và NgayHenTra nếu có). In ra hồ sơ thiếu ở mỗi bên "
            "và hồ sơ khác trạng thái hoặc thời gian. Mã thoát 0 khi khớp, 1 khi có khác biệt, 2 khi tệp hoặc kỳ sai."
        ),
    )
    command.add_argument("--period", required=True, metavar="KỲ", help="2025-09, 2025-Q3, 2025-H1, 2025 hoặc 2025-07-01..2025-09-30")
    command.add_argument("file", type=Path, metavar="TỆP", help="tệp CSV hoặc XLSX xuất từ hệ thống của tỉnh")
    command.set_defaults(handler=run)


def run(args) -> int:
    try:
        period = parse(args.period, load_settings()["report_cutoff_day"])
    except PeriodError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"Lỗi: không đọc được tệp {args.file}: {error.strerror}.", file=sys.stderr)
        return 2
    try:
        result = portal_reconcile.reconcile(period, data, args.file.name)
    except portal_reconcile.ReconcileError as error:
        for message in error.messages:
            print(f"Lỗi: {message}", file=sys.stderr)
        return 2
    print(f"Đối soát {period.label}: khớp {number(result.matched)} hồ sơ.")
    for line in result.missing_here:
        print(f"Thiếu ở phần mềm: dòng {line.line}, mã {line.code}, tiếp nhận {line.received_at.text()}, trạng thái {portal_reconcile.status_text(line.status)}.")
    for dossier in result.missing_there:
        print(f"Thiếu ở hệ thống tỉnh: {dossier['code']} {dossier['portal_code']}".rstrip() + f", tiếp nhận {dossier['received_at']:%d/%m/%Y %H:%M}.")
    for difference in result.differences:
        print(f"Khác nhau: dòng {difference.line}, mã {difference.code}, {difference.what.lower()}: phần mềm {difference.ours}, tệp của tỉnh {difference.theirs}.")
    if result.in_step:
        print("Hai bên khớp nhau.")
    return 0 if result.in_step else 1
