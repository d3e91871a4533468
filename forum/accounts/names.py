"""Names and handles reserved for staff: no participant may pass for the secretariat or an institution.

A name is compared after NFKC normalisation (full-width letters become ASCII), with accents, invisible
characters and Arabic tatweel removed, whatever its case, and split into words at every separator
(space, dot, underscore, dash…), so "I.T.U", "Ｉｔｕ", "Secrétariat" and "itu_secretariat" are caught.
Short words that are also syllables of ordinary names match only as whole words ("Unity", "Chairat" and
"Adminah" pass); long ones match anywhere, even with the separators removed ("ITUSecretariat").
"""

import re
import unicodedata

from flask_babel import gettext as _

from forum.rules import RuleViolation
from forum.security_log import security_event

# Whole words only: inside a longer word these letters are innocent.
WORDS = (
    # ITU in English, in French and Spanish (UIT) and in Russian (МСЭ).
    "ITU",
    "UIT",
    "МСЭ",
    # The UN in Russian (ООН); English, French and Spanish are in CAPITALS below.
    "ООН",
    # Administrator, short forms.
    "admin",
    "админ",
    # Chair: "Chairat", "Chairunnisa" are names, so only the whole word.
    "chair",
    # Arabic: the secretariat, the moderator, the official, the chair (the president), the administrator.
    # مشرف is also the surname Musharraf; the brief for this check chose to refuse it all the same.
    "الأمانة",
    "مشرف",
    "المشرف",
    "المسؤول",
    "الرسمي",
    "الرئيس",
)

# Abbreviations that are also syllables of names (the Korean given name Jong-un, the Igbo surname Onu):
# in a name they count only written in capitals (UN, U.N., ONU), the way the institution writes them.
# Handles are lower-case, so there they count in any case.
CAPITALS = ("UN", "ONU")

# Matched anywhere, even inside a longer word or across separators: none of them is part of a name.
# A pair is (stem, the word shown in the message): a Russian stem covers all its endings.
STEMS = (
    # Secretariat: English and French (Secrétariat), Spanish (Secretaría), Russian, Chinese.
    "secretariat",
    "secretaria",
    "секретариат",
    "秘书处",
    "秘書處",
    # Moderator: English, French (modérateur, modératrice), Spanish (moderador), Russian, Chinese.
    "moderator",
    "moderation",
    "modérateur",
    "modératrice",
    "moderador",
    "модератор",
    "版主",
    "主持人",
    # Administrator: English, French, Spanish, Russian, Chinese, Arabic (system administrator).
    "administrator",
    "administrateur",
    "administrador",
    "администратор",
    "管理员",
    "管理員",
    "مدير النظام",
    # Chair: English, French and Spanish (président, presidente), Russian (председатель…), Chinese, Arabic.
    "chairman",
    "chairwoman",
    "chairperson",
    "president",
    ("председател", "председатель"),
    "主席",
    "رئيس الجلسة",
    # Official: English, French, Spanish, Russian (официальный, официальная…), Chinese.
    "official",
    "officiel",
    "oficial",
    ("официальн", "официальный"),
    "官方",
    # The United Nations in the six languages.
    "United Nations",
    "Nations Unies",
    "Naciones Unidas",
    "Объединённых Наций",
    "Объединённые Нации",
    "联合国",
    "聯合國",
    "الأمم المتحدة",
    # UNESCO in the six languages (Chinese: 教科文组织).
    "UNESCO",
    "ЮНЕСКО",
    "教科文组织",
    "教科文組織",
    "يونسكو",
    # ITU spelled out in the six languages.
    "International Telecommunication Union",
    "Union internationale des télécommunications",
    "Unión Internacional de Telecomunicaciones",
    "Международный союз электросвязи",
    "国际电联",
    "國際電聯",
    "国际电信联盟",
    "الاتحاد الدولي للاتصالات",
)

TOKEN = re.compile(r"[^\W\d_]+|\d+")
# Combining marks (accents, Arabic vowel signs), invisible format characters (zero-width space, soft hyphen).
IGNORED_CATEGORIES = ("Mn", "Me", "Cf")
TATWEEL = "\u0640"


def _plain(text):
    """`text` in NFKC, without accents, invisible characters or tatweel; case kept."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text or ""))
    kept = (c for c in decomposed if c != TATWEEL and unicodedata.category(c) not in IGNORED_CATEGORIES)
    return unicodedata.normalize("NFC", "".join(kept))


def _words(text):
    """The words of `text`, plus letters spelled out one by one ("I.T.U.", "U N") read as one word."""
    words = TOKEN.findall(_plain(text))
    spelled, run = [], []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) > 1:
            spelled.append("".join(run))
        run = []
    return words, spelled


def _compact(text):
    """`text` folded and with every separator removed, as stems are compared."""
    return "".join(TOKEN.findall(_plain(text))).casefold()


WORD_TABLE = {_compact(word): word for word in WORDS}
CAPITALS_TABLE = {_compact(word): word for word in CAPITALS}
STEM_TABLE = dict(
    (_compact(entry), entry) if isinstance(entry, str) else (_compact(entry[0]), entry[1]) for entry in STEMS
)


def impersonation(text, *, handle=False):
    """The reserved word that `text` uses, as written in the list above, or None."""
    words, spelled = _words(text)
    for word in (*words, *spelled):
        folded = word.casefold()
        if folded in WORD_TABLE:
            return WORD_TABLE[folded]
        if folded in CAPITALS_TABLE and (handle or word.isupper()):
            return CAPITALS_TABLE[folded]
    compact = "".join(words).casefold()
    return next((shown for stem, shown in STEM_TABLE.items() if stem in compact), None)


def refuse_impersonation(value, field, *, user=None):
    """Raise a RuleViolation beside `field` when `value` passes for staff or an institution; log the refusal.

    `field` is "name" or "handle"; the caller decides who is staff (staff are never checked).
    """
    word = impersonation(value, handle=field == "handle")
    if word is None:
        return
    security_event(
        "identity.impersonation_refused",
        field=field,
        value=value,
        word=word,
        user_id=user.id if user is not None else None,
    )
    raise RuleViolation(
        _(
            "“%(word)s” is reserved for the staff of the Dialogue and the institutions it names: "
            "choose a name that does not suggest you speak for them.",
            word=word,
        ),
        field=field,
    )
