"""`run.py import-dossiers FILE`: the history of an old logbook (CSV or XLSX), all or nothing."""
import sys
from pathlib import Path

from ..services.dossier_import import COLUMNS, DossierImportError, import_dossiers


def register(subparsers) -> None:
    importing = subparsers.add_parser(
        "import-dossiers",
        help="nhập hồ sơ cũ từ sổ theo dõi (.csv hoặc .xlsx; tất cả hoặc không gì cả)",
        description=f"Các cột (dòng tiêu đề): {', '.join(COLUMNS)}. Hồ sơ có mã đã nhập trước đó được bỏ qua.",
    )
    importing.add_argument("file", metavar="TỆP", help="đường dẫn tệp .csv (UTF-8) hoặc .xlsx")
    importing.set_defaults(handler=run)


def run(args) -> int:
    """Import the file; print every problem (line and column) and save nothing if there is one."""
    path = Path(args.file)
    if not path.is_file():
        print(f"Lỗi: không tìm thấy tệp {path}.", file=sys.stderr)
        return 1
    try:
        result = import_dossiers(path.read_bytes(), path.name)
    except DossierImportError as error:
        print(f"Lỗi: tệp {path.name} chưa được nhập, không có hồ sơ nào được lưu:", file=sys.stderr)
        print(str(error), file=sys.stderr)
        return 1
    print(f"Đã nhập {path.name}: {result.added} hồ sơ mới, {result.already_there} hồ sơ đã có từ trước (bỏ qua).")
    return 0
