"""The UN's country list: 193 Member States and 2 observer States by their UN names, sorted per language."""

import re
import unicodedata

import pytest

from forum import countries
from forum.accounts import services as accounts
from forum.rules import RuleViolation
from tests.accounts.test_register import VALID

LOCALES = ("en", "fr", "ar", "zh", "ru", "es")


def states(locale):
    """The States group's names in `locale`, in the order the list shows them."""
    return [name for _code, name in countries.ordered(locale)[0]]


def territories(locale):
    """The other territories' names in `locale`, in the order the list shows them."""
    return [name for _code, name in countries.ordered(locale)[1]]


def test_the_states_are_the_193_members_and_the_2_observers():
    statuses = [country.status for country in countries.table().values()]
    assert statuses.count("member") == 193 and statuses.count("observer") == 2
    observers = {c.code for c in countries.table().values() if c.status == "observer"}
    assert observers == {"VA", "PS"}
    for locale in LOCALES:
        assert len(states(locale)) == 195 and len(set(states(locale))) == 195


def test_every_name_is_given_in_the_six_languages():
    for country in countries.table().values():
        assert all(country.names[locale].strip() for locale in LOCALES), country.code


@pytest.mark.parametrize(
    "official",
    [
        "Democratic People's Republic of Korea",
        "Russian Federation",
        "Iran (Islamic Republic of)",
        "Syrian Arab Republic",
        "Myanmar",
        "Holy See",
        "State of Palestine",
        "Türkiye",
        "Côte d’Ivoire",
    ],
)
def test_states_carry_their_official_un_names(official):
    assert official in states("en")


@pytest.mark.parametrize(
    "customary",
    ["Taiwan", "Hong Kong SAR China", "North Korea", "Russia", "Iran", "Syria", "Myanmar (Burma)"],
)
def test_customary_and_non_state_names_are_not_states(customary):
    assert customary not in states("en")


def test_territories_are_a_separate_group_under_their_un_names():
    assert "China, Hong Kong Special Administrative Region" in territories("en")
    assert "Åland Islands" in territories("en") and "Åland Islands" not in states("en")
    assert not any("Taiwan" in name for name in states("en") + territories("en"))
    assert countries.is_state("CH") and not countries.is_state("HK") and not countries.is_state("TW")


def test_english_sorts_a_ring_with_a():
    assert territories("en").index("Åland Islands") < territories("en").index("Anguilla")
    assert states("en")[-1] == "Zimbabwe"


def test_french_sorts_accents_as_their_letters():
    names = states("fr")
    assert names[:4] == ["Afghanistan", "Afrique du Sud", "Albanie", "Algérie"]
    order = ["Djibouti", "Égypte", "El Salvador", "Émirats arabes unis", "Équateur", "Érythrée", "Espagne"]
    assert [name for name in names if name in order] == order
    assert names.index("Hongrie") < names.index("Îles Marshall") < names.index("Inde")
    assert names.index("Estonie") < names.index("État de Palestine") < names.index("États-Unis d’Amérique")
    assert names[-1] == "Zimbabwe"


def alphabet_positions(names, alphabet, folded):
    """Each name's first letter as its place in `alphabet`, after folding letters that sort as one."""
    positions = []
    for name in names:
        first = unicodedata.normalize("NFC", folded.get(name[0], name[0]))
        positions.append(alphabet.index(first))
    return positions


def test_arabic_follows_the_arabic_alphabet():
    alphabet = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    # Alef with hamza or madda is alef for the first letter's place.
    positions = alphabet_positions(states("ar"), alphabet, {"أ": "ا", "إ": "ا", "آ": "ا"})
    assert positions == sorted(positions)
    names = states("ar")
    # The article counts as letters, and hamza on an alef only breaks ties: al-Ittihad, Albania, Almania.
    assert names.index("الاتحاد الروسي") < names.index("ألبانيا") < names.index("ألمانيا")
    assert names.index("نيجيريا") < names.index("هندوراس") < names.index("هنغاريا")


def test_russian_follows_the_cyrillic_alphabet():
    alphabet = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
    positions = alphabet_positions([n.lower() for n in states("ru")], alphabet, {"ё": "е"})
    assert positions == sorted(positions)
    assert states("ru")[:2] == ["Австралия", "Австрия"] and states("ru")[-1] == "Япония"


def test_chinese_sorts_by_pinyin():
    names = states("zh")
    assert names[0].startswith("阿")  # ā
    # Zanbiya, Zhili (Chile), Zhongfei (Central African Republic), Zhongguo (China).
    order = ["赞比亚", "智利", "中非共和国", "中国"]
    assert [name for name in names if name in order] == order
    assert names.index("法国") < names.index("美利坚合众国") < names.index("瑞士")


def test_spanish_sorts_with_its_own_alphabet():
    names = states("es")
    assert names.index("Afganistán") < names.index("Albania") < names.index("Alemania")
    assert names.index("Estonia") < names.index("Eswatini") < names.index("Etiopía")


def test_register_page_shows_two_groups_in_the_readers_language(client, db):
    page = client.get("/register").text
    assert '<optgroup label="United Nations Member States and observer States">' in page
    assert '<optgroup label="Other territories">' in page
    states_part = page[page.index("observer States") : page.index('label="Other territories"')]
    assert "Russian Federation" in states_part and "China, Hong Kong" not in states_part
    client.post("/language", data={"language": "ar"})
    arabic = client.get("/register").text
    assert "الاتحاد الروسي" in arabic and "دولة فلسطين" in arabic


def test_a_delegation_represents_a_state_not_a_territory(db):
    with pytest.raises(RuleViolation, match="list of States") as refused:
        accounts.create_user({**VALID, "country": "HK"})
    assert refused.value.field == "country"
    with pytest.raises(RuleViolation, match="Choose a country from the list"):
        accounts.create_user({**VALID, "stakeholder_group": "civil_society", "country": "TW"})


def test_other_groups_choose_from_the_same_list(db):
    user = accounts.create_user({**VALID, "stakeholder_group": "civil_society", "country": "HK"})
    assert user.country == "HK"


def test_a_code_stored_before_the_un_list_still_has_a_name(app):
    from forum.i18n import country_in

    assert country_in("en", "TW") == "Taiwan"  # CLDR's name: the UN list has no such entry
    assert country_in("fr", "KP") == "République populaire démocratique de Corée"
    assert country_in("en", "") == ""


def test_data_file_names_its_source():
    readme = (countries.DATA.parent / "README.md").read_text()
    assert "unstats.un.org/unsd/methodology/m49" in readme
    assert re.search(r"countries\.csv", readme)
