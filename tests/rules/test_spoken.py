"""Numbers and the call sentence as the synthesizer is given them: the Vietnamese way, never digit by digit."""
import pytest

from app.rules.spoken import CLIP_PHRASES, call_sentence, clip_pieces, number_words, spoken_label


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (9, "chín"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (19, "mười chín"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (40, "bốn mươi"),
        (41, "bốn mươi mốt"),
        (55, "năm mươi lăm"),
        (99, "chín mươi chín"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (104, "một trăm linh bốn"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (999, "chín trăm chín mươi chín"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (1010, "một nghìn không trăm mười"),
        (1100, "một nghìn một trăm"),
        (2021, "hai nghìn không trăm hai mươi mốt"),
        (10000, "mười nghìn"),
        (15000, "mười lăm nghìn"),
        (21004, "hai mươi mốt nghìn không trăm linh bốn"),
        (1_000_005, "một triệu không trăm linh năm"),
    ],
)
def test_number_words(number, words):
    assert number_words(number) == words


@pytest.mark.parametrize("number", [-1, 1_000_000_000])
def test_number_words_refuses_what_no_ticket_is(number):
    with pytest.raises(ValueError):
        number_words(number)


@pytest.mark.parametrize(
    ("label", "spoken"),
    [("105", "một trăm linh năm"), ("040", "bốn mươi"), ("A7", "A bảy"), ("B21", "B hai mươi mốt")],
)
def test_ticket_labels_are_said_as_one_number(label, spoken):
    assert spoken_label(label) == spoken


@pytest.mark.parametrize(
    ("label", "counter", "sentence"),
    [
        ("105", "Quầy 2", "Mời công dân số một trăm linh năm đến quầy số hai"),
        ("25", "Quầy 10", "Mời công dân số hai mươi lăm đến quầy số mười"),
        ("A15", "Quầy 4", "Mời công dân số A mười lăm đến quầy số bốn"),
        ("21", "Quầy trả kết quả", "Mời công dân số hai mươi mốt đến Quầy trả kết quả"),
    ],
)
def test_call_sentence(label, counter, sentence):
    assert call_sentence(label, counter) == sentence


@pytest.mark.parametrize(
    ("label", "counter", "pieces"),
    [
        ("105", "Quầy 2", ["Mời công dân số", "một", "trăm", "linh", "năm", "đến quầy số", "hai"]),
        ("21", "Quầy 10", ["Mời công dân số", "hai", "mươi", "mốt", "đến quầy số", "mười"]),
        ("A7", "Quầy 1", None),
        ("7", "Quầy trả kết quả", None),
    ],
)
def test_a_call_from_recorded_pieces(label, counter, pieces):
    assert clip_pieces(label, counter) == pieces


def test_every_word_of_a_number_can_be_recorded():
    words = {word for number in range(0, 100_000) for word in number_words(number).split()}
    assert words <= set(CLIP_PHRASES)
