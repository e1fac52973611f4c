"""`run.py export-dossiers --period P`: a period's dossiers as the national portal's sync records (DongBoHoSoMC)."""
import sys
from pathlib import Path

from ..rules.periods import PeriodError, parse
from ..services import portal_export
from ..settings import load as load_settings


def register(subparsers) -> None:
    command = subparsers.add_parser(
        "export-dossiers",
        help="xuất hồ sơ của một kỳ theo bản ghi đồng bộ của Cổng Dịch vụ công quốc gia (DongBoHoSoMC)",
        description=(
            "Hồ sơ tiếp nhận trong kỳ hoặc còn đang mở trong kỳ, với trạng thái hiện tại, theo các trường của dịch vụ "
            "DongBoHoSoMC. Cảnh báo (ví dụ thủ tục không có mã quốc gia) in ra luồng lỗi."
        ),
    )
    command.add_argument(
        "--period", required=True, metavar="KỲ",
        help="2025-09 (tháng), 2025-Q3 (quý), 2025-H1 (6 tháng), 2025 (năm) hoặc 2025-07-01..2025-09-30",
    )
    command.add_argument(
        "--format", choices=portal_export.FORMATS, default="dvcqg",
        help="dvcqg (JSON {\"data\": [...]}, mặc định), csv hoặc xlsx (cùng các cột)",
    )
    command.add_argument("--out", type=Path, required=True, metavar="TỆP", help="tệp ghi ra")
    command.set_defaults(handler=run)


def run(args) -> int:
    """Write the file; a period that cannot be read is refused with the reason."""
    try:
        period = parse(args.period, load_settings()["report_cutoff_day"])
    except PeriodError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    export = portal_export.build(period)
    try:
        args.out.write_bytes(portal_export.write(export, args.format))
    except OSError as error:
        print(f"Lỗi: không ghi được tệp {args.out}: {error.strerror}.", file=sys.stderr)
        return 1
    for warning in export.warnings:
        print(f"Cảnh báo: {warning}", file=sys.stderr)
    print(f"Đã ghi {len(export.records):,} hồ sơ ({period.label}) vào {args.out}.".replace(",", "."))
    return 0
