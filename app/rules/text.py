"""Vietnamese text rules: Unicode normalisation, diacritic-free search keys and masked names."""
import re
import unicodedata

# đ/Đ are letters of their own, not d with a mark: NFD leaves them whole, so they are mapped by hand.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D"})


# Unicode's format characters (category Cf, as of Unicode 14): invisible, they reorder what is shown
# (U+202E right-to-left override, the other bidi controls) or hide inside a word (zero-width space
# and joiners, soft hyphen, U+FEFF), so a name can look like another and escape search.
INVISIBLE = re.compile(
    "[\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890-\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E"
    "\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\U000110BD\U000110CD\U00013430-\U00013438"
    "\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0001\U000E0020-\U000E007F]"
)
# Control characters other than tab and line breaks: nothing a person types. A form refuses them
# beside the field; a search key (`fold`) drops them, as PostgreSQL's text refuses NUL.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def nfc(value: str) -> str:
    """The precomposed form, so that 'Nguyễn' typed with any keyboard is one string, without invisible characters.

    Every submitted form value and every imported cell passes here (and through `clean`).
    """
    return unicodedata.normalize("NFC", INVISIBLE.sub("", value))


def clean(value: str) -> str:
    """NFC, with the whitespace people type by accident (ends, doubled spaces) removed."""
    return " ".join(nfc(value).split())


def fold(value: str) -> str:
    """A search key: no diacritics, lower case, single spaces ('Nguyễn Văn Đức' -> 'nguyen van duc')."""
    decomposed = unicodedata.normalize("NFD", CONTROL.sub("", INVISIBLE.sub("", value)).translate(_LETTERS_WITHOUT_DECOMPOSITION))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.translate(_LETTERS_WITHOUT_DECOMPOSITION).casefold().split())


def mask_name(full_name: str) -> str:
    """A name fit for a public screen: the first two letters of the first word, the first of the others.

    'Nguyễn Văn An' -> 'Ng*** V** A*': enough for a person to recognise their own dossier,
    not enough for a stranger to learn who is waiting for what.
    """
    words = clean(full_name).split()
    if not words:
        return ""
    masked = []
    for index, word in enumerate(words):
        keep = 2 if index == 0 and len(words) > 1 else 1
        hidden = max(len(word) - keep, 1)
        masked.append(word[:keep] + "*" * min(hidden, 3))
    return " ".join(masked)


# Words a settlement's name may already start with ("Thôn Kim Đôi", "Xóm 3"): no "thôn" is added before them.
_SETTLEMENT_WORDS = ("thon", "xom", "ban", "ap", "lang", "to dan pho", "khu pho", "khoi", "buon", "plei", "soc")


def village_label(name: str, heading: bool = False) -> str:
    """'Kim Đôi' -> 'thôn Kim Đôi' ('Thôn Kim Đôi' as a heading); a name stored with its kind
    ('Thôn Kim Đôi', 'Xóm 3') stays as it is."""
    name = clean(name)
    folded = fold(name)
    if not name or any(folded == word or folded.startswith(word + " ") for word in _SETTLEMENT_WORDS):
        return name
    return f"{'Thôn' if heading else 'thôn'} {name}"


def with_village(address: str, village_name: str) -> str:
    """The address followed by its village, unless the address already names it."""
    address, village = clean(address), village_label(village_name)
    if not village or fold(village_name) in fold(address):
        return address
    return f"{address}, {village}" if address else village
