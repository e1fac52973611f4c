"""The 766 estimate: shares, satisfaction as 766 defines it, gaps to the thresholds, and the one table of them."""
import pytest

from app.rules import index766


@pytest.mark.parametrize(
    "part, whole, expected",
    [(2, 3, 66.67), (1, 3, 33.33), (1_234, 1_236, 99.84), (0, 5, 0.0), (5, 5, 100.0), (0, 0, None)],
)
def test_share(part, whole, expected):
    assert index766.share(part, whole) == expected


@pytest.mark.parametrize(
    "population, in_time, disliked, complained, expected",
    [
        # 100% − 1/4 overdue − 1/4 disliked.
        (4, 3, 1, 0, 50.0),
        (3, 3, 0, 0, 100.0),
        # 100% − 1/3 − 1/3, rounded once: 33.33, not 100 − 33.33 − 33.33 = 33.34.
        (3, 2, 1, 0, 33.33),
        (10, 9, 0, 1, 80.0),
        # Everything overdue and disliked as well: never below 0.
        (2, 0, 2, 0, 0.0),
        (0, 0, 0, 0, None),
    ],
)
def test_satisfaction_is_100_minus_overdue_minus_disliked_or_complained(population, in_time, disliked, complained, expected):
    assert index766.satisfaction(population, in_time, disliked, complained) == expected


@pytest.mark.parametrize(
    "value, threshold, expected",
    [(66.67, 100.0, 33.33), (40.0, 50.0, 10.0), (50.0, 50.0, 0.0), (95.5, 90.0, 0.0), (None, 90.0, None), (30.0, None, None)],
)
def test_gap_to_full_marks(value, threshold, expected):
    assert index766.gap(value, threshold) == expected


COUNTS = {"population": 4, "in_time": 3, "received": 3, "received_online": 1, "received_postal": 1, "disliked": 1, "synced": 2}


@pytest.mark.parametrize(
    "key, value, threshold, gap, confirmed",
    [
        ("progress", 75.0, 100.0, 25.0, False),
        ("online", 33.33, 50.0, 16.67, True),
        ("postal", 33.33, None, None, False),
        ("satisfaction", 50.0, 90.0, 40.0, True),
        ("synced", 66.67, 100.0, 33.33, False),
    ],
)
def test_estimate_of_a_period(key, value, threshold, gap, confirmed):
    row = {row["key"]: row for row in index766.estimate(COUNTS)}[key]
    assert (row["value"], row["threshold"], row["gap"], row["confirmed"]) == (value, threshold, gap, confirmed)
    assert row["formula"] and row["name"] and row["indicator"]


def test_a_period_without_dossiers_has_no_values():
    empty = dict.fromkeys(COUNTS, 0)
    assert [(row["value"], row["gap"]) for row in index766.estimate(empty)] == [(None, None)] * len(index766.PARTS)


def test_thresholds_live_in_one_table_with_their_points():
    assert {part.key: (part.indicator, part.full_marks_at, part.points) for part in index766.PARTS} == {
        "progress": ("2.1", 100.0, 20),
        "online": ("3.3", 50.0, None),
        "postal": ("3.3", None, None),
        "satisfaction": ("5.4", 90.0, 6),
        "synced": ("1.4", 100.0, 6),
    }
    assert "Số hóa hồ sơ, cấp kết quả giải quyết điện tử, tái sử dụng dữ liệu số hóa (chỉ số 4.1–4.5)" in index766.NOT_COMPUTED
