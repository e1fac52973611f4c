"""`run.py report --period P`: a period's figures as JSON, CSV, Excel or a text table, the same as /thong-ke."""
import json
import sys
from pathlib import Path

from ..rules.periods import PeriodError, parse
from ..services import report_export, statistics
from ..settings import load as load_settings

FORMATS = ("json", "csv", "xlsx", "table")


def register(subparsers) -> None:
    report = subparsers.add_parser(
        "report",
        help="số liệu giải quyết hồ sơ của một kỳ (tháng, quý, 6 tháng, năm, tùy chọn)",
        description="Số liệu của một kỳ, tính đến hết ngày cuối kỳ, giống trang /thong-ke.",
    )
    report.add_argument(
        "--period", required=True, metavar="KỲ",
        help="2025-09 (tháng), 2025-Q3 (quý), 2025-H1 (6 tháng), 2025 (năm) hoặc 2025-07-01..2025-09-30",
    )
    report.add_argument("--format", choices=FORMATS, default="table", help="định dạng (mặc định table)")
    report.add_argument("--by", choices=tuple(statistics.DIMENSIONS), help="chia theo lĩnh vực, thủ tục, kênh, quầy, cán bộ hoặc thôn")
    report.add_argument("--convention", choices=tuple(statistics.CONVENTIONS), help="cách tính tỷ lệ đúng hạn (mặc định theo cài đặt)")
    report.add_argument("--out", type=Path, metavar="TỆP", help="ghi ra tệp thay vì màn hình (bắt buộc với xlsx)")
    report.set_defaults(handler=run)


def run(args) -> int:
    """Print or write the report; a period that cannot be read is refused with the reason."""
    settings = load_settings()
    try:
        period = parse(args.period, settings["report_cutoff_day"])
    except PeriodError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    if args.format == "xlsx" and args.out is None:
        print("Lỗi: định dạng xlsx cần --out TỆP, ví dụ --out bao-cao.xlsx.", file=sys.stderr)
        return 2
    report = report_export.build(period, args.convention or settings["report_convention"], args.by)
    if args.format == "json":
        content = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        content = report_export.to_csv(report)
    elif args.format == "table":
        content = report_export.to_table(report, settings["center_name"])
    else:
        content = report_export.to_xlsx(report, settings["center_name"], statistics.DIMENSIONS.get(args.by, "Nội dung"))
    if args.out is None:
        sys.stdout.write(content)
        return 0
    try:
        if isinstance(content, bytes):
            args.out.write_bytes(content)
        else:
            # With a BOM, Excel opens the CSV as UTF-8 and keeps the diacritics; JSON must have none (RFC 8259).
            args.out.write_text(content, encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="")
    except OSError as error:
        print(f"Lỗi: không ghi được tệp {args.out}: {error.strerror}.", file=sys.stderr)
        return 1
    print(f"Đã ghi báo cáo {period.label} vào {args.out}.")
    return 0
