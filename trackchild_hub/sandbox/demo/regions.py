"""What the demo knows about states and a few well-known districts: languages, PIN and STD codes, rail hubs.

The LGD geography gives codes, names and coordinates only; this adds the texture that makes records
believable.
District names are matched case-insensitively and without a trailing " Delhi" or " City" ("Central Delhi" is
"central", "Mumbai City" is "mumbai").
States not listed get a neutral profile (Hindi, any PIN), which keeps the generator usable for every state.
"""

from __future__ import annotations

from dataclasses import dataclass

from trackchild_hub.sandbox.demo.names import BENGALI, HINDI, MARATHI, words


@dataclass(frozen=True, slots=True)
class StateProfile:
    culture: str
    languages: tuple[str, ...]  # most spoken first
    muslim_share: float
    pin_prefixes: tuple[str, ...]  # first digits of the state's PIN codes (empty: any)
    std_codes: tuple[str, ...]  # STD codes (without the trunk 0) for districts not listed in KNOWN_DISTRICTS
    capital: str  # district that hosts state-level bodies
    rail_hubs: tuple[str, ...]  # districts with big junctions, where runaway and trafficked children surface
    rail_links: tuple[str, ...]  # states that long-distance trains from here run to, most travelled first
    police_domain: str


PROFILES: dict[str, StateProfile] = {
    "19": StateProfile(
        BENGALI,
        ("bn", "hi", "ur", "en"),
        0.27,
        ("70", "71", "72", "73", "74"),
        ("342", "343", "3192", "353", "3222", "3463", "3512"),
        "kolkata",
        words("Howrah Kolkata North_24_Parganas Purba_Bardhaman Paschim_Bardhaman Malda Darjeeling"),
        ("27", "7", "10", "9"),
        "wbpolice.gov.in",
    ),
    "7": StateProfile(
        HINDI,
        ("hi", "en", "ur", "pa"),
        0.13,
        ("110",),
        ("11",),
        "new delhi",
        words("New_Delhi Central South_East North Shahdara East"),
        ("9", "10", "27", "19"),
        "delhipolice.gov.in",
    ),
    "27": StateProfile(
        MARATHI,
        ("mr", "hi", "ur", "en"),
        0.12,
        ("40", "41", "42", "43", "44"),
        ("253", "240", "231", "257", "2162", "2182", "233"),
        "mumbai",
        words("Mumbai Mumbai_Suburban Pune Nagpur Thane Nashik"),
        ("7", "9", "19", "10"),
        "mahapolice.gov.in",
    ),
    "10": StateProfile(
        HINDI,
        ("hi", "mai", "bho", "ur", "en"),
        0.17,
        ("80", "81", "82", "84", "85"),
        ("641", "6272", "6452", "6152", "6182", "6226", "6344"),
        "patna",
        words("Patna Gaya Muzaffarpur Samastipur Darbhanga Saran Purnia Bhagalpur Katihar"),
        ("19", "7", "27", "9"),
        "biharpolice.gov.in",
    ),
    "9": StateProfile(
        HINDI,
        ("hi", "ur", "bho", "en"),
        0.19,
        ("20", "21", "22", "23", "24", "25", "26", "27", "28"),
        ("121", "5942", "581", "5412", "5362", "5842", "591"),
        "lucknow",
        words("Lucknow Kanpur_Nagar Prayagraj Varanasi Gorakhpur Agra Jhansi Ghaziabad Mathura"),
        ("7", "27", "10", "19"),
        "uppolice.gov.in",
    ),
}
DEFAULT_PROFILE = StateProfile(HINDI, ("hi", "en"), 0.12, (), (), "", (), (), "")


@dataclass(frozen=True, slots=True)
class KnownDistrict:
    pin_base: str  # first three PIN digits of the district's head post office
    std_code: str
    station: str  # the main railway station, as people name it
    localities: tuple[str, ...]  # police station areas


def _known(pin: str, std: str, station: str, localities: str) -> KnownDistrict:
    return KnownDistrict(pin, std, station, words(localities))


KNOWN_DISTRICTS: dict[str, KnownDistrict] = {
    "kolkata": _known(
        "700",
        "33",
        "Sealdah station",
        "Bowbazar Jorasanko Burrabazar Shyampukur Tollygunge Kasba Gariahat Park_Street Entally",
    ),
    "howrah": _known(
        "711",
        "33",
        "Howrah railway station",
        "Shibpur Bally Golabari Liluah Bantra Jagacha Sankrail Domjur Uluberia Belur",
    ),
    "north 24 parganas": _known(
        "743", "33", "Barasat Junction", "Barasat Barrackpore Dum_Dum Bidhannagar Habra Basirhat Bongaon Madhyamgram"
    ),
    "patna": _known(
        "800",
        "612",
        "Patna Junction",
        "Kotwali Gandhi_Maidan Pirbahore Kankarbagh Danapur Phulwari_Sharif Digha Jakkanpur",
    ),
    "gaya": _known("823", "631", "Gaya Junction", "Kotwali Civil_Lines Bodh_Gaya Delha Rampur Chandauti"),
    "muzaffarpur": _known("842", "621", "Muzaffarpur Junction", "Town Kazi_Mohammadpur Brahmpura Ahiyapur Mithanpura"),
    "lucknow": _known(
        "226",
        "522",
        "Charbagh railway station",
        "Hazratganj Aminabad Chowk Alambagh Gomti_Nagar Aliganj Naka_Hindola",
    ),
    "kanpur nagar": _known("208", "512", "Kanpur Central", "Kotwali Collectorganj Govind_Nagar Kalyanpur Chakeri"),
    "varanasi": _known("221", "542", "Varanasi Junction", "Kotwali Dashashwamedh Cantt Lanka Chetganj Adampur"),
    "prayagraj": _known("211", "532", "Prayagraj Junction", "Kotwali Civil_Lines Kareli Daraganj Naini Kydganj"),
    "agra": _known("282", "562", "Agra Cantt station", "Kotwali Hari_Parvat Rakabganj Tajganj Sadar_Bazar Shahganj"),
    "gorakhpur": _known("273", "551", "Gorakhpur Junction", "Kotwali Cantt Rajghat Shahpur Gorakhnath Tiwaripur"),
    "mumbai": _known(
        "400",
        "22",
        "Chhatrapati Shivaji Maharaj Terminus",
        "Colaba Byculla Dongri Nagpada Pydhonie Azad_Maidan Worli Dadar",
    ),
    "mumbai suburban": _known(
        "400",
        "22",
        "Lokmanya Tilak Terminus",
        "Andheri Bandra Kurla Ghatkopar Borivali Malad Santacruz Mankhurd Chembur",
    ),
    "pune": _known("411", "20", "Pune Junction", "Shivajinagar Swargate Kothrud Hadapsar Yerawada Khadki Bhosari"),
    "nagpur": _known("440", "712", "Nagpur Junction", "Sitabuldi Kotwali Tehsil Ajni Sadar Lakadganj"),
    "thane": _known("400", "22", "Thane station", "Naupada Kalwa Kalyan Dombivli Bhiwandi Ulhasnagar"),
    "new delhi": _known(
        "110",
        "11",
        "New Delhi railway station",
        "Connaught_Place Parliament_Street Mandir_Marg Chanakyapuri Tughlak_Road",
    ),
    "central": _known(
        "110", "11", "Old Delhi railway station", "Paharganj Kamla_Market Nabi_Karim Karol_Bagh Darya_Ganj"
    ),
    "north": _known("110", "11", "Delhi Sarai Rohilla", "Kotwali Subzi_Mandi Sadar_Bazar Civil_Lines Timarpur Burari"),
    "shahdara": _known("110", "11", "Shahdara station", "Shahdara Seelampur Welcome Jyoti_Nagar Mansarovar_Park"),
    "east": _known("110", "11", "Anand Vihar Terminal", "Preet_Vihar Shakarpur Mandawali Pandav_Nagar Kalyanpuri"),
    "north east": _known("110", "11", "Welcome station", "Seelampur Jafrabad Bhajanpura Gokulpuri Khajuri_Khas"),
    "north west": _known("110", "11", "Azadpur station", "Jahangirpuri Adarsh_Nagar Shalimar_Bagh Mangolpuri"),
    "south": _known("110", "11", "Tughlakabad station", "Hauz_Khas Malviya_Nagar Saket Mehrauli Ambedkar_Nagar"),
    "south east": _known(
        "110", "11", "Hazrat Nizamuddin railway station", "Lajpat_Nagar Kalkaji Govindpuri Jamia_Nagar Sarita_Vihar"
    ),
    "south west": _known("110", "11", "Delhi Cantt railway station", "Dwarka Palam_Village Vasant_Kunj Sagarpur"),
    "west": _known("110", "11", "Kirti Nagar station", "Rajouri_Garden Punjabi_Bagh Tilak_Nagar Janakpuri"),
}

# Pieces for place names of districts the table does not know: "Shibpur", "Ram Nagar", "Shivaji Peth".
# A leading underscore makes the suffix a separate word.
LOCALITY_ROOTS: dict[str, tuple[str, ...]] = {
    HINDI: words("Ram Shiv Krishna Lal Hanuman Rani Gandhi Rajendra Mahavir Gopal Sita Chandra Kamla Kishan Nai"),
    BENGALI: words("Shib Ram Krishna Shyam Kali Durga Sonar Rani Gopal Hari Netaji Bidhan Rabindra Madhab Jagat"),
    MARATHI: words("Shivaji Ganesh Ram Laxmi Gandhi Sambhaji Ambedkar Tilak Datta Vitthal Sai Rajiv Nehru"),
}
LOCALITY_SUFFIXES: dict[str, tuple[str, ...]] = {
    HINDI: words("pur ganj _Nagar garh bagh tola _Bazar _Chak"),
    BENGALI: words("pur _Nagar ganj tala _Pally danga hat bari"),
    MARATHI: words("_Nagar wadi _Peth pur gaon pada _Chowk"),
}
ROADS = words(
    "Station_Road G.T._Road M.G._Road Court_Road Hospital_Road College_Road Kachahri_Road Main_Road "
    "Bazar_Road Thana_Road School_Road Netaji_Subhas_Road Club_Road Tank_Road"
)
