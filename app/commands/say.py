"""`run.py say TEXT --out FILE.wav`: the board's Vietnamese voice saying TEXT, written as a WAV file."""
import subprocess
import sys
from pathlib import Path

from ..services import voice


def register(subparsers) -> None:
    command = subparsers.add_parser(
        "say",
        help="đọc một câu tiếng Việt ra tệp WAV bằng giọng của bảng tin",
        description="Số trong câu được đọc theo cách nói tiếng Việt (105 → «một trăm linh năm»).",
    )
    command.add_argument("text", metavar="CÂU", help="câu cần đọc, ví dụ \"Mời công dân số 105 đến quầy số 2\"")
    command.add_argument("--out", required=True, type=Path, metavar="TỆP.wav", help="tệp WAV ghi ra")
    command.set_defaults(handler=run)


def run(args) -> int:
    try:
        voice.synthesize(args.text, args.out)
    except voice.NoSynthesizer as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    except (OSError, subprocess.SubprocessError) as error:
        print(f"Lỗi: không ghi được {args.out}: {error}", file=sys.stderr)
        return 1
    print(f"Đã ghi {args.out}")
    return 0
