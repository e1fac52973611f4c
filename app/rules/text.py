"""Vietnamese text rules: Unicode normalisation, diacritic-free search keys and masked names."""
import unicodedata

# đ/Đ are letters of their own, not d with a mark: NFD leaves them whole, so they are mapped by hand.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(value: str) -> str:
    """The precomposed form, so that 'Nguyễn' typed with any keyboard is one string."""
    return unicodedata.normalize("NFC", value)


def clean(value: str) -> str:
    """NFC, with the whitespace people type by accident (ends, doubled spaces) removed."""
    return " ".join(nfc(value).split())


def fold(value: str) -> str:
    """A search key: no diacritics, lower case, single spaces ('Nguyễn Văn Đức' -> 'nguyen van duc')."""
    decomposed = unicodedata.normalize("NFD", value.translate(_LETTERS_WITHOUT_DECOMPOSITION))
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
