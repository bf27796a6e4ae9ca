"""Word lists for name normalisation: titles, abbreviations, markers, common tokens and pet names, all normalised."""

from __future__ import annotations

# Dropped from the start of a name (or of the part after an "S/o" marker) while another word follows. Transliterated
# forms are here too: श्रीमती shrimati, डॉ do, स्व० sva, மாஸ்டர் mastar, बेबी bebi, திரு tiru.
TITLES = frozenset({
    "shri", "sri", "shree", "sree", "sh", "shriman", "sriman", "smt", "shrimati", "srimati", "shreemati",
    "sreemati", "shrimathi", "srimathi", "shrimti", "srimti", "sushri", "kumari", "km", "ku", "kum", "master",
    "mastar", "mr", "mrs", "ms", "miss", "mister", "baby", "bebi", "dr", "do", "late", "lt", "sva", "swa",
    "svargiya", "svargiy", "swargiya", "tiru", "thiru", "tirumati", "thirumathi", "tirumathi", "mst", "mosammat",
    "mosammad", "janab", "mohtarma", "haji", "hazi", "pt", "sardar", "sardarni",
})  # fmt: skip
# Dropped from the end of a name while another word stays: "Sharma ji".
TRAILING_TITLES = frozenset({"ji", "jee", "sahab", "saheb"})
# "Baby" is a title before a name ("Baby Priya") but the whole name of a found infant ("Baby", "Baby Girl").
NOT_A_NAME_AFTER_BABY = frozenset({"girl", "boy", "child", "unknown", "female", "male", "kid", "infant"})
# Words between two names that only say how they relate: "Ramesh urf Guddu", "राम पुत्र श्याम".
SEPARATORS = frozenset({"urf", "urph", "alias", "aka", "putra", "putri", "patni"})
# Abbreviations and spellings of one word, to one canonical form; Km/Ku are "kumari" unless they lead as a title.
CANONICAL = {
    **dict.fromkeys(
        (
            "md", "mohd", "mhd", "mo", "mohammad", "mohammed", "mohamed", "mohamad", "muhammad", "muhammed",
            "muhamad", "mohmad", "mohmmad", "mohammd", "mohummad", "mahammad", "mohamud",
        ),
        "mohammad",
    ),
    **dict.fromkeys(
        ("sk", "shk", "sekh", "shekh", "sheikh", "shaikh", "shaik", "sheik", "seikh", "shiekh", "saikh", "shek"),
        "shaikh",
    ),
    "kr": "kumar",
    "km": "kumari",
    "ku": "kumari",
    "kum": "kumari",
    "sinh": "singh",  # सिंह reads sinh; Latin writes Singh
    "ravu": "rao",  # రావు
    "nayudu": "naidu",  # నాయుడు
}  # fmt: skip

# Very common tokens, most of them suffixes of a given name (Sunita Devi, Harpreet Kaur, Md Salim): the scorer weights
# them low by term frequency and blocking skips them; normalisation keeps them.
COMMON_TOKENS = frozenset({
    "kumar", "kumari", "devi", "debi", "kaur", "singh", "lal", "das", "bai", "ben", "bhai", "khatun", "khatoon",
    "begum", "begam", "bibi", "bi", "bano", "banu", "nisa", "prasad", "chand", "nath", "rao", "mohammad", "shaikh",
    "khan",
})  # fmt: skip

# Pet names that a child may give instead of a name; is_nickname also accepts their spelling variants.
NICKNAMES = frozenset({
    "guddu", "guddi", "gudiya", "munna", "munni", "munnu", "munia", "pinki", "pinku", "chhotu", "chhoti", "chhutki",
    "chhutku", "bablu", "babli", "pappu", "pappi", "pammi", "sonu", "soni", "monu", "moni", "golu", "bittu", "bitti",
    "raju", "tinku", "tinki", "rinku", "rinki", "chintu", "chinki", "dolly", "bunty", "sunny", "honey", "lucky",
    "vicky", "nikki", "micky", "pintu", "mintu", "montu", "chunnu", "chunni", "lallu", "lalla", "lalli", "kallu",
    "kalu", "kalua", "bholu", "babu", "nanhe", "nanhi", "motu", "laddu", "lado", "gattu", "chiku", "chikki",
    "appu", "ammu", "kunju", "chinnu", "kutty", "chinna", "pandu", "bujji", "chitti", "bunny", "tutu", "dabbu",
    "titu", "mithu", "chandu", "bantu", "sweety", "bubbly", "tuntun", "bobby", "goldy", "happy", "gogi", "bhura",
})  # fmt: skip
