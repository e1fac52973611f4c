"""What the board's voice says: numbers in Vietnamese words, the way people say them, and the call sentence."""
import re

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ((1_000_000, "triệu"), (1_000, "nghìn"))


def _below_hundred(number: int) -> str:
    tens, units = divmod(number, 10)
    if tens == 0:
        return DIGITS[units]
    head = "mười" if tens == 1 else f"{DIGITS[tens]} mươi"
    if units == 0:
        return head
    if units == 5:
        return f"{head} lăm"
    # "mốt" and "tư" only after "mươi": 21 is "hai mươi mốt", 11 stays "mười một", 14 "mười bốn".
    if units == 1 and tens > 1:
        return f"{head} mốt"
    if units == 4 and tens > 1:
        return f"{head} tư"
    return f"{head} {DIGITS[units]}"


def _below_thousand(number: int, full: bool) -> str:
    """0-999; `full` when a larger part comes before it, so that 5 reads "không trăm linh năm"."""
    hundreds, rest = divmod(number, 100)
    if hundreds == 0 and not full:
        return _below_hundred(rest)
    words = f"{DIGITS[hundreds]} trăm"
    if rest == 0:
        return words
    if rest < 10:
        return f"{words} linh {DIGITS[rest]}"
    return f"{words} {_below_hundred(rest)}"


def number_words(number: int) -> str:
    """105 → "một trăm linh năm", 21 → "hai mươi mốt", 1005 → "một nghìn không trăm linh năm"."""
    if not 0 <= number < 1_000_000_000:
        raise ValueError(f"{number} is outside what a ticket or counter number can be")
    if number < 1000:
        return _below_thousand(number, full=False)
    parts = []
    rest = number
    for scale, name in SCALES:
        count, rest = divmod(rest, scale)
        if count:
            parts.append(f"{_below_thousand(count, full=bool(parts))} {name}")
    if rest:
        parts.append(_below_thousand(rest, full=True))
    return " ".join(parts)


def spoken_label(label: str) -> str:
    """A ticket label said aloud: its digits as one number in words, a letter as written ("A105" → "A một trăm linh năm")."""
    return " ".join(re.sub(r"\d+", lambda match: f" {number_words(int(match.group()))} ", label).split())


INTRO = "Mời công dân số"
TO_COUNTER = "đến quầy số"
# What an administrator may record instead of the synthetic voice: the two fixed phrases and every word
# a number is said with. A call is said from recordings only when each of its pieces has one.
CLIP_PHRASES = (INTRO, TO_COUNTER, *DIGITS, "mười", "mươi", "mốt", "tư", "lăm", "linh", "trăm", "nghìn", "triệu")


def clip_pieces(ticket_label: str, counter_name: str) -> list[str] | None:
    """The recorded pieces a call is made of, in order, or None when it needs words no clip has
    (a letter before the number, a counter named without a number)."""
    ticket = re.fullmatch(r"\d+", ticket_label)
    counter = re.search(r"\d+", counter_name)
    if not ticket or not counter:
        return None
    return [INTRO, *number_words(int(ticket.group())).split(), TO_COUNTER, *number_words(int(counter.group())).split()]


def call_sentence(ticket_label: str, counter_name: str) -> str:
    """The sentence the board says: "Mời công dân số một trăm linh năm đến quầy số hai" for "Quầy 2";
    a counter named without a number is said by its name."""
    match = re.search(r"\d+", counter_name)
    place = f"{TO_COUNTER.removeprefix('đến ')} {number_words(int(match.group()))}" if match else counter_name
    return f"{INTRO} {spoken_label(ticket_label)} đến {place}"
