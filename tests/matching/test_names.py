"""Normalisation of Indian names: titles, abbreviations, scripts and schwa deletion, skeletons, pet names."""

from __future__ import annotations

import pytest
from indic_transliteration import sanscript

from trackchild_hub.matching.names import (
    COMMON_TOKENS,
    NICKNAMES,
    is_nickname,
    name_skeletons,
    normalise,
    skeleton,
    tokens,
)

TITLES_AND_ABBREVIATIONS = [
    ("Smt. Sunita Devi", "sunita devi"),
    ("Shri Ramesh Kumar", "ramesh kumar"),
    ("Sri Ramesh", "ramesh"),
    ("Shrimati Kamla", "kamla"),
    ("Kumari Priya", "priya"),
    ("Km. Priya", "priya"),
    ("Ku Pooja", "pooja"),
    ("Master Rohan", "rohan"),
    ("Mr. Rohan Das", "rohan das"),
    ("Mrs Rekha", "rekha"),
    ("Ms. Isha", "isha"),
    ("Miss Isha", "isha"),
    ("Dr. Anil Sharma", "anil sharma"),
    ("Late Ramesh", "ramesh"),
    ("Smt. Kumari Priya", "priya"),
    ("Baby Priya", "priya"),
    ("Sharma ji", "sharma"),
    # Kumari as a surname, Baby as the whole name of a found infant, a title alone: all stay.
    ("Priya Kumari", "priya kumari"),
    ("Kumari", "kumari"),
    ("Baby", "baby"),
    ("Baby Girl", "baby girl"),
    ("Shri", "shri"),
    # relation markers go, the names either side stay
    ("Ramesh S/o Late Shri Suresh Kumar", "ramesh suresh kumar"),
    ("Sunita D/O Mahesh", "sunita mahesh"),
    ("Sunita W/o Ramesh", "sunita ramesh"),
    ("Smt W/o Ramesh", "ramesh"),
    ("B/o Sunita", "sunita"),
    ("Baby of Sunita", "sunita"),
    ("Ramesh @ Guddu", "ramesh guddu"),
    ("Ramesh urf Guddu", "ramesh guddu"),
    ("Ramesh R/o Village Rampur, Dist. Gaya", "ramesh"),
    # abbreviations and spellings to one form
    ("Md. Salim", "mohammad salim"),
    ("Mohd Salim", "mohammad salim"),
    ("Mohd.Salim", "mohammad salim"),
    ("Muhammad Salim", "mohammad salim"),
    ("MOHAMMED SALIM", "mohammad salim"),
    ("Mohammad Salim", "mohammad salim"),
    ("Sk Rahim", "shaikh rahim"),
    ("Shk. Rahim", "shaikh rahim"),
    ("Sheikh Rahim", "shaikh rahim"),
    ("Shaik Rahim", "shaikh rahim"),
    ("Sekh Rahim", "shaikh rahim"),
    ("Ramesh Kr.", "ramesh kumar"),
    ("Ramesh Kr Singh", "ramesh kumar singh"),
    ("Priya Km", "priya kumari"),
    ("Pooja Ku.", "pooja kumari"),
    ("Km", "kumari"),
]

PUNCTUATION_DIGITS_AND_EMPTY = [
    (None, ""),
    ("", ""),
    ("   ", ""),
    ("--.,", ""),
    ("1234", ""),
    ("Rahul123", "rahul"),
    ("  RAHUL    kumar  ", "rahul kumar"),
    ("Rahul-Kumar", "rahul kumar"),
    ("D'Souza", "dsouza"),
    ("K. Ramesh", "k ramesh"),
    ("Ramesh (10 yrs)", "ramesh yrs"),
    ("Ｒａｈｕｌ", "rahul"),  # full-width, folded by NFKC
    ("Mr. Rāhul Śarmā", "rahul sharma"),  # IAST
    ("José", "jose"),
]

# A realistic name in each script, its normalised form, and a Latin spelling whose skeletons it must meet.
SCRIPTS = [
    ("devanagari", "राहुल कुमार", "rahul kumar", "Rahul Kumar"),
    ("devanagari", "श्रीमती सुनीता देवी", "sunita devi", "Smt. Suneeta Devi"),
    ("devanagari", "मोहम्मद सलीम", "mohammad salim", "Md. Saleem"),
    ("devanagari", "मो० सलीम", "mohammad salim", "Mohd Salim"),
    ("devanagari", "कु० प्रिया", "priya", "Priya"),
    ("devanagari", "हरजीत सिंह", "harjit singh", "Harjeet Singh"),
    ("devanagari", "लक्ष्मी", "lakshmi", "Laxmi"),
    ("devanagari", "राम पुत्र श्याम", "ram shyam", "Ram S/o Shyam"),
    ("bengali", "রাহুল দাস", "rahul das", "Rahul Das"),
    ("bengali", "সুব্রত দাস", "subrat das", "Subrata Das"),
    ("bengali", "বিজয় মণ্ডল", "bijay mandal", "Vijay Mondal"),
    ("bengali", "মোহাম্মদ রহিম শেখ", "mohammad rahim shaikh", "Md Rahim Sk"),
    ("bengali", "শ্রীমতী মমতা বন্দ্যোপাধ্যায়", "mamata bandyopadhyay", "Mamta Bandyopadhyay"),
    ("gurmukhi", "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", "gurprit singh", "Gurpreet Singh"),
    ("gurmukhi", "ਸ਼੍ਰੀਮਤੀ ਮਨਪ੍ਰੀਤ ਕੌਰ", "manprit kaur", "Manpreet Kaur"),
    ("gurmukhi", "ਜਸਵਿੰਦਰ ਸਿੰਘ", "jasvindar singh", "Jaswinder Singh"),
    ("tamil", "செந்தில் குமார்", "senthil kumar", "Senthil Kumar"),
    ("tamil", "முருகன்", "murugan", "Murugan"),
    ("tamil", "கார்த்திக்", "karthik", "Kartik"),
    ("tamil", "திருமதி லட்சுமி", "latchumi", "Latchmi"),
    ("tamil", "ஃபாத்திமா", "fathima", "Fatima"),
    ("telugu", "శ్రీనివాస రావు", "shrinivasa rao", "Srinivas Rao"),
    ("telugu", "వెంకటేశ్వర్లు", "venkateshvarlu", "Venkateswarlu"),
    ("telugu", "సాయి కుమార్ రెడ్డి", "sayi kumar reddi", "Sai Kumar Reddy"),
    ("gujarati", "ભાવેશ પટેલ", "bhavesh patel", "Bhavesh Patel"),
    ("oriya", "ପ୍ରକାଶ ମହାପାତ୍ର", "prakash mahapatra", "Prakash Mohapatra"),
    ("kannada", "ಮಂಜುನಾಥ ಗೌಡ", "manjunatha gauda", "Manjunath Gowda"),
    ("malayalam", "ഗോപാലൻ നായർ", "gopalan nayar", "Gopalan Nayar"),
]

# Where the schwa goes and where it stays, language by language.
SCHWA = [
    ("राहुल", "rahul"),  # final
    ("सुनीता", "sunita"),  # long ā is no schwa
    ("मोहम्मद", "mohammad"),  # not before a cluster
    ("कमला", "kamla"),  # medial, between VC and CV
    ("हरजीत", "harjit"),
    ("अमरनाथ", "amarnath"),  # not next to a deleted one
    ("पवन", "pavan"),
    ("गुरप्रीत", "gurprit"),  # consonant + r is one onset
    ("रामप्रसाद", "ramprasad"),
    ("कृष्ण", "krishna"),  # kept after a cluster
    ("नरेंद्र", "narendra"),
    ("आदित्य", "aditya"),
    ("अरविंद", "arvind"),  # but not after a nasal
    ("पार्थ", "parth"),  # nor after r
    ("संजय", "sanjay"),  # a nasalised vowel stays
    ("राम", "ram"),
    ("शबनम", "shabnam"),  # of two candidates, the one nearer the end goes
    ("दशरथ", "dashrath"),
    ("रचना", "rachna"),
    ("म", "ma"),  # one syllable keeps its vowel
    ("মমতা", "mamata"),  # Bengali deletes only at the end
    ("জগদীশ", "jagadish"),
    ("শ্রীকান্ত", "shrikanta"),  # and keeps it after a cluster
    ("ମମତା", "mamata"),  # Odia likewise
    ("శ్రీనివాస", "shrinivasa"),  # Telugu keeps it
    ("ಮಂಜುನಾಥ", "manjunatha"),  # Kannada keeps it
]

# Letters that need more than a table: nukta, anusvara by place, conjuncts, Gurmukhi addak, chillus, Tamil stops.
LETTERS = [
    ("क़ासिम", "qasim"),
    ("ज़ैनब", "zainab"),
    ("फ़रहान", "farhan"),
    ("लड़का", "larka"),
    ("अंबिका", "ambika"),  # anusvara before a labial
    ("सुंदरम", "sundaram"),  # before a dental
    ("సుందరం", "sundaram"),  # word-final anusvara
    ("चाँद", "chand"),  # candrabindu
    ("ज्ञान", "gyan"),
    ("జ్ఞానేశ్వర్", "gnaneshvar"),
    ("लक्ष्मण", "lakshman"),
    ("सिंह", "singh"),  # reads sinh, written Singh
    ("ਪੱਪੂ", "pappu"),  # addak doubles
    ("বিশ্বজিৎ", "bishwajit"),  # b-phala is w, khanda ta
    ("অম্বিকা", "ambika"),  # but after m it is b
    ("যমুনা", "jamuna"),  # Bengali য is j
    ("আদিত্য", "aditya"),  # y-phala is y
    ("ବିଶ୍ୱଜିତ", "bishwajit"),
    ("രാജേഷ്", "rajesh"),
    ("മുരളി", "murali"),
    ("மீனாட்சி", "minatchi"),  # Tamil ச after ட
    ("வெற்றி", "vetri"),  # doubled ற
    ("மஞ்சுளா", "manjula"),  # ச after ஞ
    ("அழகு", "azhagu"),
    ("சிவகுமார்", "sivakumar"),  # k kept in kumar compounds
    ("राम१२श्याम", "ram shyam"),  # Indic digits separate words
]

MIXED_SCRIPTS = [
    ("Rahul राहुल", "rahul rahul"),
    ("सुनीता Devi", "sunita devi"),
    ("Smt. सुनीता देवी", "sunita devi"),
    ("Md. সেলিম", "mohammad selim"),
    ("ਹਰਜੀਤ Singh S/o ਗੁਰਮੀਤ ਸਿੰਘ", "harjit singh gurmit singh"),
    ("Rahul-राहुल", "rahul rahul"),
]

SAME_SKELETON = [
    ("Lakshmi", "Laxmi", "Luxmi", "Lakshmee"),
    ("Srinivas", "Sreenivas", "Shrinivas", "Srinivasa"),
    ("Shaikh", "Sheikh", "Shaik", "Sekh"),
    ("Mohammad", "Mohammed", "Muhammad", "Mohamed"),
    ("Pooja", "Puja"),
    ("Deepak", "Dipak"),
    ("Vijay", "Bijay", "Bijoy", "Vijai"),  # eastern scripts have no v
    ("Chatterjee", "Chaterji", "Chatterji"),
    ("Ramesh", "Ramesh"),
    ("Surender", "Surendra", "Surinder", "Surendar"),
    ("Krishna", "Krishan"),
    ("Kamla", "Kamala"),
    ("Sukhwinder", "Sukhvinder", "Sukhvindar"),
    ("Gaurav", "Gourav", "Gaurab"),
    ("Chowdhury", "Choudhary", "Chaudhary", "Chaudhry"),
    ("Zahid", "Jahid"),
    ("Yasmin", "Jasmin"),
    ("Farooq", "Faruk"),
    ("Umar", "Omar"),
    ("Geeta", "Gita", "Geetha"),
    ("Siddharth", "Sidharth"),
    ("Priya", "Priyaa", "Pria"),
    ("Roy", "Rai", "Ray"),
    ("Ravi", "Rabi"),
    ("Hrithik", "Ritik"),
    ("Gowri", "Gauri"),
    ("Azhagu", "Alagu"),
    ("Sarah", "Sara"),
    ("Pinky", "Pinki"),
]

KEPT_APART = [
    ("Sunita", "Sumita"),
    ("Anil", "Sunil"),
    ("Ravi", "Rani"),
    ("Amit", "Anita"),
    ("Rahul", "Raju"),
    ("Mohan", "Sohan"),
    ("Asha", "Usha"),
    ("Asha", "Isha"),
    ("Rekha", "Rakhi"),
    ("Sonu", "Sona"),
    ("Vijay", "Viji"),
    ("Amar", "Umar"),
    ("Anant", "Anita"),
    ("Pinki", "Pinku"),
]

NUKTAS = "\u093c\u09bc\u0a3c\u0abc\u0b3c"

NICKNAME_SPELLINGS = [
    "Pinky",
    "Pinki",
    "Chotu",
    "Chhotu",
    "Guddu",
    "Gudu",
    "Babloo",
    "Bablu",
    "Sonoo",
    "Vikki",
    "Dolli",
]
NOT_NICKNAMES = ["Rahul", "Sunita", "Meena", "Priya", "Mohammad", "Kumar", ""]


@pytest.mark.parametrize(("typed", "normalised"), TITLES_AND_ABBREVIATIONS + PUNCTUATION_DIGITS_AND_EMPTY)
def test_titles_abbreviations_and_punctuation(typed: str | None, normalised: str) -> None:
    assert normalise(typed) == normalised


@pytest.mark.parametrize(("script", "native", "normalised", "latin"), SCRIPTS)
def test_each_script_transliterates_and_meets_the_latin_spelling(
    script: str, native: str, normalised: str, latin: str
) -> None:
    assert normalise(native) == normalised
    assert name_skeletons(native) == name_skeletons(latin)


@pytest.mark.parametrize(
    ("script", "native"),
    [
        (script, native)
        for script, native, _, _ in SCRIPTS
        if script not in ("tamil", "malayalam") and not any(char in NUKTAS for char in native)
    ],
)
def test_transliteration_agrees_with_indic_transliteration(script: str, native: str) -> None:
    # The library keeps every schwa and writes IAST; its skeletons drop the schwas and merge what IAST tells apart, so
    # they must equal ours. Left out: Tamil and Malayalam chillus (it gets them wrong, see names_indic), decomposed
    # nuktas (which it passes through untouched), and सिंह (we write singh, as Latin does; its skeleton is sn).
    library = sanscript.transliterate(native, getattr(sanscript, script.upper()), sanscript.IAST)
    ours, theirs = name_skeletons(native), name_skeletons(library)
    assert len(ours) == len(theirs)
    assert [a for a, b in zip(ours, theirs, strict=True) if a != b and b != "sn"] == []


@pytest.mark.parametrize(("native", "latin"), SCHWA + LETTERS)
def test_schwa_deletion_and_letters(native: str, latin: str) -> None:
    assert normalise(native) == latin


@pytest.mark.parametrize(("typed", "normalised"), MIXED_SCRIPTS)
def test_mixed_scripts(typed: str, normalised: str) -> None:
    assert normalise(typed) == normalised


@pytest.mark.parametrize(
    "typed",
    [typed for typed, _ in TITLES_AND_ABBREVIATIONS + PUNCTUATION_DIGITS_AND_EMPTY + MIXED_SCRIPTS]
    + [native for _, native, _, _ in SCRIPTS],
)
def test_normalise_is_idempotent(typed: str | None) -> None:
    once = normalise(typed)
    assert normalise(once) == once
    assert tokens(typed) == tuple(once.split())
    assert all(word.isascii() and word.isalpha() and word.islower() for word in tokens(typed))


@pytest.mark.parametrize("names", SAME_SKELETON, ids=lambda names: "=".join(names))
def test_spellings_of_one_name_share_a_skeleton(names: tuple[str, ...]) -> None:
    skeletons = {skeleton(normalise(name)) for name in names}
    assert len(skeletons) == 1
    assert skeletons != {""}


@pytest.mark.parametrize(("one", "other"), KEPT_APART)
def test_different_names_keep_different_skeletons(one: str, other: str) -> None:
    assert skeleton(normalise(one)) != skeleton(normalise(other))


@pytest.mark.parametrize(
    ("token", "key"),
    [("lakshmi", "lksmi"), ("sunita", "snt"), ("anil", "anl"), ("vijay", "bjy"), ("ravi", "rbi"), ("a", "a"), ("", "")],
)
def test_skeleton_values(token: str, key: str) -> None:
    assert skeleton(token) == key


def test_skeleton_normalises_a_word_that_is_not() -> None:
    assert skeleton("Mohd.") == skeleton("mohammad") == skeleton("मोहम्मद")


def test_name_skeletons_are_per_word() -> None:
    assert name_skeletons("Smt. Laxmi Devi") == (skeleton("lakshmi"), skeleton("devi"))
    assert name_skeletons(None) == ()


@pytest.mark.parametrize("common", sorted(COMMON_TOKENS))
def test_common_tokens_are_normalised_and_survive(common: str) -> None:
    assert normalise(common) == common
    assert tokens(f"Ramesh {common}") == ("ramesh", common)
    assert tokens(f"Smt. Sunita {common.title()}") == ("sunita", common)


def test_the_common_tokens_of_the_issue_are_there() -> None:
    assert {"kumar", "kumari", "devi", "khatun", "begum", "bibi", "singh", "lal", "das"} <= COMMON_TOKENS


@pytest.mark.parametrize("nickname", sorted(NICKNAMES))
def test_nicknames_are_normalised(nickname: str) -> None:
    assert normalise(nickname) == nickname
    assert is_nickname(nickname)


def test_there_are_enough_nicknames() -> None:
    assert len(NICKNAMES) >= 60
    assert {"guddu", "munna", "munni", "pinki", "chhotu", "bablu", "pappu", "sonu", "raju", "dolly"} <= NICKNAMES


@pytest.mark.parametrize("spelling", NICKNAME_SPELLINGS)
def test_nickname_spellings(spelling: str) -> None:
    assert is_nickname(spelling)


@pytest.mark.parametrize("name", NOT_NICKNAMES)
def test_names_are_not_nicknames(name: str) -> None:
    assert not is_nickname(name)
