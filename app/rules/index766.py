"""The parts of Decision 766/QĐ-TTg's index the center can estimate from its own records: value, full-marks threshold, gap.

Decision 766/QĐ-TTg (23/6/2022) approved the index; its calculation method is known here only through a
published transcription, "Mô tả công thức tính chỉ số 766" (reproduced in the open-source dashboard
github.com/ChippedTopaz/qd766, web/dist/formula-document.js, with the maximum points in
web/dist/formula-maximums.js). Everything shown from it is an estimate (ước tính). A threshold the
transcription states is marked confirmed; one it does not state is kept here as data and shown as
"chưa xác nhận" rather than guessed silently. Percentages throughout, two decimals.
"""
from dataclasses import dataclass

SOURCE = (
    "Quyết định 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ; công thức theo bản mô tả "
    "«Mô tả công thức tính chỉ số 766» được công bố lại trong mã nguồn mở github.com/ChippedTopaz/qd766 "
    "(không phải văn bản pháp lý)"
)


@dataclass(frozen=True)
class Part:
    """One part of the index: its number in the decision, its name, its formula for the footnote, the
    share at or above which it gets full marks (None when there is none), its maximum points, and
    whether the transcription states that threshold."""

    key: str
    indicator: str
    name: str
    formula: str
    full_marks_at: float | None
    points: int | None
    confirmed: bool


PARTS = (
    Part(
        "progress", "2.1", "Tiến độ giải quyết (hồ sơ xử lý trước hạn, đúng hạn)",
        "Số hồ sơ kết thúc xử lý đến hết ngày hẹn trả (trừ thời gian chờ công dân bổ sung; yêu cầu bổ sung hơn một lần "
        "tính trễ hạn; hồ sơ chưa kết thúc xét đến cuối kỳ) / (tồn kỳ trước + tiếp nhận mới) × 100% — tỷ lệ đúng hạn cách D.",
        # The transcription gives no threshold; the dashboard scores it in proportion (rate × 20 points).
        100.0, 20, False,
    ),
    Part(
        "online", "3.3", "Hồ sơ nộp trực tuyến",
        "Số hồ sơ tiếp nhận trong kỳ qua kênh trực tuyến / số hồ sơ tiếp nhận trong kỳ × 100%. Bản mô tả còn nhân với "
        "tỷ lệ đồng bộ và chỉ tính hồ sơ có kết quả điện tử (trung tâm không lưu), nên đây là mức tối đa có thể đạt.",
        50.0, None, True,
    ),
    Part(
        "postal", "3.3", "Hồ sơ nộp qua bưu chính công ích",
        "Số hồ sơ tiếp nhận trong kỳ qua bưu chính công ích / số hồ sơ tiếp nhận trong kỳ × 100%. "
        "Bản mô tả chỉ theo dõi tỷ lệ này, không chấm điểm riêng.",
        None, None, False,
    ),
    Part(
        "satisfaction", "5.4", "Hài lòng trong tiếp nhận, giải quyết thủ tục hành chính",
        "100% − tỷ lệ hồ sơ quá hạn (theo cách D) − tỷ lệ hồ sơ có phản ánh, kiến nghị hoặc đánh giá «Không hài lòng»; "
        "mẫu số: tồn kỳ trước + tiếp nhận mới. Trung tâm không lưu phản ánh, kiến nghị: chỉ trừ các đánh giá "
        "«Không hài lòng» trong kỳ, nên đây là mức tối đa có thể đạt.",
        90.0, 6, True,
    ),
    Part(
        "synced", "1.4", "Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia",
        "Số hồ sơ tiếp nhận trong kỳ đã có mã hồ sơ của hệ thống tỉnh / số hồ sơ tiếp nhận trong kỳ × 100%.",
        100.0, 6, False,
    ),
)
PARTS_BY_KEY = {part.key: part for part in PARTS}

# Parts that need data the center does not hold, named so that nobody reads the panel as the whole index.
NOT_COMPUTED = (
    "Công bố, công khai thủ tục hành chính (chỉ số 1.1–1.3)",
    "Cung cấp dịch vụ công trực tuyến toàn trình, một phần (chỉ số 3.1, 3.2)",
    "Thanh toán trực tuyến (chỉ số 3.5, 3.6)",
    "Số hóa hồ sơ, cấp kết quả giải quyết điện tử, tái sử dụng dữ liệu số hóa (chỉ số 4.1–4.5)",
    "Phản ánh, kiến nghị và việc xử lý (chỉ số 5.1–5.3)",
)


def share(part: int, whole: int) -> float | None:
    """part / whole in percent, two decimals; None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100 * part / whole, 2)


def satisfaction(population: int, in_time: int, disliked: int, complained: int = 0) -> float | None:
    """100% − the overdue share − the share with a complaint or a "không hài lòng" rating, never below 0.

    Overdue is every dossier of the population not on time under convention D; the shares are added
    before rounding, so that the parts of a percent are not rounded twice.
    """
    if not population:
        return None
    overdue = population - in_time
    return max(0.0, round(100 * (population - overdue - disliked - complained) / population, 2))


def gap(value: float | None, threshold: float | None) -> float | None:
    """How far the value is below the full-marks threshold (0 once reached); None when either is unknown."""
    if value is None or threshold is None:
        return None
    return round(max(0.0, threshold - value), 2)


def estimate(counts: dict) -> list[dict]:
    """Every computable part for a period, from its counts: `population` (carried over + received),
    `in_time` (on time under convention D), `received`, `received_online`, `received_postal`,
    `disliked` ("không hài lòng" ratings) and `synced` (received with the province's code)."""
    values = {
        "progress": share(counts["in_time"], counts["population"]),
        "online": share(counts["received_online"], counts["received"]),
        "postal": share(counts["received_postal"], counts["received"]),
        "satisfaction": satisfaction(counts["population"], counts["in_time"], counts["disliked"]),
        "synced": share(counts["synced"], counts["received"]),
    }
    return [
        {
            "key": part.key,
            "indicator": part.indicator,
            "name": part.name,
            "formula": part.formula,
            "value": values[part.key],
            "threshold": part.full_marks_at,
            "gap": gap(values[part.key], part.full_marks_at),
            "points": part.points,
            "confirmed": part.confirmed,
        }
        for part in PARTS
    ]
