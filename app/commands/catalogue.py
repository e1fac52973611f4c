"""import-procedures and export-procedures: the procedure catalogue as a CSV or XLSX file, format by extension."""
import sys
from pathlib import Path

from ..rules.catalogue_file import CatalogueFileError
from ..services.catalogue import EXPORT_FORMATS, export_catalogue, import_catalogue


def register(subparsers) -> None:
    importing = subparsers.add_parser(
        "import-procedures", help="nhập danh mục thủ tục từ tệp .csv hoặc .xlsx (tất cả hoặc không gì cả)"
    )
    importing.add_argument("file", metavar="TỆP", help="đường dẫn tệp .csv (UTF-8) hoặc .xlsx")
    importing.set_defaults(handler=import_procedures)
    exporting = subparsers.add_parser("export-procedures", help="xuất toàn bộ danh mục thủ tục ra tệp .csv hoặc .xlsx")
    exporting.add_argument("file", metavar="TỆP", help="đường dẫn tệp sẽ ghi, đuôi .csv hoặc .xlsx")
    exporting.set_defaults(handler=export_procedures)


def _fail(message: str, code: int = 1) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return code


def import_procedures(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        return _fail(f"không tìm thấy tệp {path}.")
    try:
        count = import_catalogue(path.read_bytes(), path.name)
    except CatalogueFileError as error:
        print(f"Lỗi: tệp {path.name} chưa được nhập, không có thay đổi nào được lưu:", file=sys.stderr)
        print(str(error), file=sys.stderr)
        return 1
    print(f"Đã nhập {path.name}: {count.summary()}.")
    return 0


def export_procedures(args) -> int:
    path = Path(args.file)
    file_format = path.suffix.lower().lstrip(".")
    if file_format not in EXPORT_FORMATS:
        return _fail(f"tên tệp phải có đuôi .csv hoặc .xlsx, không nhận «{path.suffix or path.name}».", 2)
    try:
        path.write_bytes(export_catalogue(file_format))
    except OSError as error:
        return _fail(f"không ghi được tệp {path}: {error.strerror}.")
    print(f"Đã xuất danh mục thủ tục ra {path}.")
    return 0
