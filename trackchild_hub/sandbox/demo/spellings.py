"""How one name gets written differently: spelling variants and the Devanagari and Bengali scripts.

A child recorded as "Laxmi" by the police in Bihar turns up as "Lakshmi" in a Children's Home register in
Howrah; a Hindi FIR writes "राहुल कुमार". The demo reproduces that noise so matching has something real to do.
"""

from __future__ import annotations

from random import Random

from trackchild_hub.sandbox.demo.names import BENGALI, words

# Each group lists the ways registers spell one name; any member may be rewritten as another.
_VARIANT_GROUPS = (
    "Laxmi Lakshmi Luxmi|Pooja Puja|Vikash Vikas|Suman Shuman|Subhajit Shubhajit Suvojit|Sourav Saurav "
    "Sourabh|Biswajit Bishwajit|Moumita Mowmita|Susmita Sushmita|Riya Ria|Payel Payal|Rupa Roopa|Priyanka "
    "Priyonka|Sreya Shreya|Tanushree Tanusri|Mousumi Moushumi|Arijit Arijeet|Debjit Debajit|Anjali Anjli|"
    "Khushi Kushi Khusi|Kajal Kajol|Deepak Dipak|Ankit Ankeet|Rohit Rohith|Suraj Sooraj|Ajay Ajai|Manish "
    "Maneesh|Nitish Nitesh|Ritik Hrithik Rithik|Raushan Roshan|Aarti Arti Arati|Kavita Kabita|Shivani Sivani|"
    "Sapna Swapna|Rafiq Rafique Rofik|Salim Saleem Selim|Imran Emran|Arif Aarif|Shabnam Sabnam|Nazia Naziya|"
    "Rukhsar Ruksar|Afreen Afrin|Tabassum Tabbasum|Farzana Farjana|Jahangir Jahangeer|Sahina Shahina|Nasrin "
    "Nasreen|Rozina Rojina|Mizanur Mijanur|Ashraful Asraful|Md. Mohd. Md Mohammad Mohammed|Sk. Sk Sheikh "
    "Shaikh|Khatun Khatoon|Mondal Mandal|Roy Ray|Chatterjee Chattopadhyay|Banerjee Bandyopadhyay|Mukherjee "
    "Mukhopadhyay|Yadav Yadava|Chaudhary Choudhary Chaudhari|Jadhav Jadav|Gaikwad Gaekwad|Kamble Kambale|"
    "Omkar Onkar|Vaishnavi Vaishanavi|Pawar Powar|Mahto Mahato|Paswan Paswaan|Prathamesh Pratamesh|Shruti "
    "Shruthi Sruti|Siddhesh Sidhesh|Rushikesh Hrishikesh|Samruddhi Samrudhi|Bhosale Bhonsle|Sawant Savant|"
    "Sairaj Sai_Raj|Kumar Kr.|Prasad Pd.|Devi Debi|Sunita Suneeta|Geeta Gita|Santosh Santos|Rahul Rahool|"
    "Sonu Sonoo"
)
_VARIANTS: dict[str, tuple[str, ...]] = {
    member: group for group in (words(g) for g in _VARIANT_GROUPS.split("|")) for member in group
}


def _pairs(text: str) -> dict[str, str]:
    return {latin: native for latin, _, native in (pair.partition("=") for pair in text.split())}


# Latin spelling -> script, for the names families in the script-writing share are drawn from.
DEVANAGARI: dict[str, str] = _pairs(
    "Rahul=राहुल Amit=अमित Sonu=सोनू Ravi=रवि Suraj=सूरज Deepak=दीपक Ankit=अंकित Aman=अमन Rohit=रोहित "
    "Ajay=अजय Vikash=विकास Manish=मनीष Sachin=सचिन Arjun=अर्जुन Pooja=पूजा Priya=प्रिया Neha=नेहा "
    "Anjali=अंजलि Khushi=खुशी Kajal=काजल Laxmi=लक्ष्मी Rani=रानी Sonam=सोनम Nisha=निशा Sapna=सपना "
    "Riya=रिया Komal=कोमल Aarti=आरती Radha=राधा Sita=सीता Kumar=कुमार Kumari=कुमारी Yadav=यादव "
    "Singh=सिंह Sharma=शर्मा Gupta=गुप्ता Verma=वर्मा Prasad=प्रसाद Paswan=पासवान Mishra=मिश्रा "
    "Pandey=पांडेय Devi=देवी Ram=राम Chaudhary=चौधरी Mahto=महतो Suresh=सुरेश Ramesh=रमेश Mahesh=महेश "
    "Dinesh=दिनेश Rajesh=राजेश Sunil=सुनील Manoj=मनोज Sanjay=संजय Rakesh=राकेश Santosh=संतोष Ashok=अशोक "
    "Sunita=सुनीता Geeta=गीता Rekha=रेखा Manju=मंजू Savitri=सावित्री Pushpa=पुष्पा Kiran=किरण "
    "Anita=अनीता Usha=उषा Meena=मीना Sairaj=सायराज Omkar=ओंकार Pratik=प्रतीक Ganesh=गणेश Akash=आकाश "
    "Snehal=स्नेहल Sakshi=साक्षी Shruti=श्रुती Vaishnavi=वैष्णवी Patil=पाटील Jadhav=जाधव Pawar=पवार "
    "Shinde=शिंदे More=मोरे Kamble=कांबळे Gaikwad=गायकवाड Chavan=चव्हाण Vijay=विजय Prakash=प्रकाश "
    "Sangita=संगीता Manisha=मनीषा Vaishali=वैशाली Jyoti=ज्योती Asha=आशा Lal=लाल Nath=नाथ Salim=सलीम "
    "Rafiq=रफ़ीक Imran=इमरान Ansari=अंसारी Khan=खान Khatoon=खातून Md.=मो. Shabana=शबाना Nasreen=नसरीन "
    "Sana=सना Muskan=मुस्कान"
)
BENGALI_SCRIPT: dict[str, str] = _pairs(
    "Suman=সুমন Subhajit=শুভজিৎ Sourav=সৌরভ Rohan=রোহন Sayan=সায়ন Rahul=রাহুল Arijit=অরিজিৎ "
    "Biswajit=বিশ্বজিৎ Ayan=অয়ন Pritam=প্রীতম Tapas=তাপস Moumita=মৌমিতা Rupa=রূপা Puja=পূজা Riya=রিয়া "
    "Priyanka=প্রিয়াঙ্কা Payel=পায়েল Susmita=সুস্মিতা Ankita=অঙ্কিতা Mousumi=মৌসুমী Laxmi=লক্ষ্মী "
    "Das=দাস Ghosh=ঘোষ Mondal=মণ্ডল Roy=রায় Sarkar=সরকার Biswas=বিশ্বাস Pal=পাল Dey=দে Saha=সাহা "
    "Haldar=হালদার Bag=বাগ Tapan=তপন Swapan=স্বপন Gopal=গোপাল Ashok=অশোক Nirmal=নির্মল Bikash=বিকাশ "
    "Sanjay=সঞ্জয় Dilip=দিলীপ Sabita=সবিতা Mina=মিনা Rina=রিনা Kalpana=কল্পনা Anima=অণিমা "
    "Shefali=শেফালী Mamata=মমতা Rani=রানী Bala=বালা Rafiq=রফিক Salim=সেলিম Jahangir=জাহাঙ্গীর "
    "Rehana=রেহানা Salma=সালমা Khatun=খাতুন Bibi=বিবি Sk.=শেখ Sk=শেখ Md.=মোঃ Rahim=রহিম Amina=আমিনা"
)


def script_for(culture: str) -> dict[str, str]:
    """The script a family of this culture writes its names in, when it does not use Latin letters."""
    return BENGALI_SCRIPT if culture == BENGALI else DEVANAGARI


def in_script(name: str, culture: str) -> str:
    """``name`` in its culture's script, or unchanged when some part of it has no known spelling there."""
    table = script_for(culture)
    parts = name.split(" ")
    if all(p in table for p in parts):
        return " ".join(table[p] for p in parts)
    return name


def respell(rng: Random, name: str) -> str:
    """Rewrite one part of ``name`` the way another clerk might spell it (unchanged when none can be)."""
    parts = name.split(" ")
    spots = [i for i, p in enumerate(parts) if p in _VARIANTS]
    if not spots:
        return name
    i = rng.choice(spots)
    others = [v for v in _VARIANTS[parts[i]] if v != parts[i]]
    parts[i] = rng.choice(others)
    return " ".join(parts)
