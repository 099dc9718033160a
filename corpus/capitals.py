"""Capitals that stand for their countries, and words for their people: news writes "Seoul,
Washington and Tokyo agreed" where a release says "South Korea, the United States and Japan
agreed", and the other way round.

A question naming one and a source naming the other speak of the same government, so a check
for names the sources never mention must not count it missing. A blind run on real news had
"what did Seoul, Washington and Tokyo agree to enhance?" refused at 0.02 for that alone.
"""

from __future__ import annotations

# Each country by the words people write for it, then the words of its capital's name that name
# nothing else ("delhi", not "new"; "kuala" and "lumpur"; none for Chile's Santiago, also a given
# name, or the two Congos' capitals), a capital's spellings joined by "/" ("kyiv/kiev").
_CAPITALS = """
us america american: washington
uk britain british: london
india: delhi
japan: tokyo
china: beijing
korea: seoul pyongyang
russia: moscow
australia: canberra
france: paris
germany: berlin
eu: brussels
belgium: brussels
philippines: manila
indonesia: jakarta
vietnam: hanoi
taiwan: taipei
ukraine: kyiv/kiev
canada: ottawa
italy: rome
spain: madrid
saudi: riyadh
iran: tehran
pakistan: islamabad
bangladesh: dhaka
lanka: colombo
nepal: kathmandu
malaysia: kuala lumpur
thailand: bangkok
zealand: wellington
turkey turkiye: ankara
egypt: cairo
uae emirates: dhabi
brazil: brasilia
israel: jerusalem
qatar: doha
poland: warsaw
netherlands: amsterdam hague
sweden: stockholm
norway: oslo
denmark: copenhagen
austria: vienna
greece: athens
kenya: nairobi
nigeria: abuja
cambodia: phnom penh
laos: vientiane
mongolia: ulaanbaatar
portugal: lisbon
ireland: dublin
finland: helsinki
switzerland swiss: bern/berne
hungary: budapest
czech czechia: prague
romania: bucharest
serbia: belgrade
croatia: zagreb
slovakia: bratislava
estonia: tallinn
latvia: riga
lithuania: vilnius
belarus: minsk
argentina: buenos aires
peru: lima
chile:
colombia: bogota
venezuela: caracas
ecuador: quito
paraguay: asuncion
uruguay: montevideo
cuba: havana
drc: kinshasa
congo:
tanzania:
zambia: lusaka
zimbabwe: harare
namibia: windhoek
botswana: gaborone
angola: luanda
mozambique: maputo
uganda: kampala
ethiopia: addis ababa
ghana: accra
senegal: dakar
morocco: rabat
algeria: algiers
tunisia: tunis
sudan: khartoum
rwanda: kigali
kazakhstan: astana
uzbekistan: tashkent
kyrgyzstan: bishkek
tajikistan: dushanbe
turkmenistan: ashgabat
azerbaijan: baku
armenia: yerevan
iraq: baghdad
syria: damascus
lebanon: beirut
oman: muscat
bahrain: manama
afghanistan: kabul
myanmar burma: naypyidaw/naypyitaw
bhutan: thimphu
fiji: suva
"""
# The words for a country's people that share no beginning with its name ("Dutch" for the
# Netherlands; "Japanese" is found by "Japan" already): "What did Dutch and Swiss regulators
# agree?" of a text on the Netherlands and Switzerland. Not "Polish", a word as well.
_PEOPLE = """
dutch: netherlands
swiss: switzerland
british: uk britain
french: france
chinese: china
emirati: uae emirates
filipino: philippines
irish: ireland
greek: greece
turkish: turkey turkiye
danish: denmark
swedish: sweden
norwegian: norway
finnish: finland
spanish: spain
portuguese: portugal
peruvian: peru
"""


def _same_government(capitals: str, peoples: str) -> dict[str, tuple[str, ...]]:
    """Each word of a row to the words of its other side, the words a country goes by to each
    other ("uk", "britain"), and a capital's spellings to each other ("kyiv/kiev"). A question
    saying "the UK" of a text saying "Britain" names what it holds: before, each of the two
    reached the other only through "london"."""
    names: dict[str, set[str]] = {}

    def link(words: list[str], others: list[str]) -> None:
        for word in words:
            names.setdefault(word, set()).update(other for other in others if other != word)

    rows = [row.split(":") for row in capitals.strip().splitlines()]
    rows += [row.split(":")[::-1] for row in peoples.strip().splitlines()]
    for country, other in rows:
        link(country.split(), country.replace("/", " ").split() + other.replace("/", " ").split())
        link(other.replace("/", " ").split(), country.split())
        for spellings in other.split():
            link(spellings.split("/"), spellings.split("/"))
    return {word: tuple(sorted(others)) for word, others in names.items()}


#: Each word of a country, its capital or its people, to the words naming the others of its row.
SAME_GOVERNMENT: dict[str, tuple[str, ...]] = _same_government(_CAPITALS, _PEOPLE)
#: The words of countries and capitals (and of the three peoples their rows name: American,
#: British, Swiss), which a dateline's place and country are ("LUSAKA, Zambia").
PLACES: frozenset[str] = frozenset(_CAPITALS.replace(":", " ").replace("/", " ").split())
#: The words of a country's or capital's name that name none alone ("South Korea", "United States",
#: "Sri Lanka", "New Delhi").
AROUND_COUNTRIES: frozenset[str] = frozenset(
    "south north east west united kingdom states republic arab sri new city".split()
)
