"""Alert texts per language: references, a place or district, counts and a link, never a child's name.

English, Hindi and the main languages of the states (Bengali, Tamil, Telugu, Marathi, Gujarati, Kannada, Malayalam,
Punjabi, Odia, Assamese, Urdu). A body is written to in the first of its recorded languages that has texts; a body
with none of them in the main language of its state (``STATE_LANGUAGES``, by LGD code) when the state has one here;
otherwise in English (the official language of the states whose main language has no texts yet: Nagaland, Mizoram,
Meghalaya, Arunachal Pradesh, Sikkim, Manipur, Goa).

Sentences are short and plain (an SMS in an Indian script is sent as UCS-2: 70 characters in one message, 67 in each
part of a longer one; ``domain.sms`` counts them). Fields: ``reference``, ``place`` (new case); ``missing``,
``other`` (likely match); ``reference``, ``hours`` (overdue citizen report); ``district``, ``date``, ``new``,
``traced``, ``pending``, ``overdue`` (daily digest); ``reference`` (case sent to the AHTU); ``reference``, ``date``
(AHTU progress report overdue); ``link`` (all).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .alerts import AlertRule

DEFAULT_LANGUAGE = "en"

_NEW, _LIKELY = AlertRule.NEW_MISSING_CASE, AlertRule.LIKELY_MATCH
_OVERDUE, _DIGEST = AlertRule.CITIZEN_REPORT_OVERDUE, AlertRule.DISTRICT_DIGEST
_AHTU, _AHTU_LATE = AlertRule.ESCALATED_TO_AHTU, AlertRule.AHTU_REPORT_OVERDUE

# rule -> language -> (subject, text)
TEXTS: Mapping[AlertRule, Mapping[str, tuple[str, str]]] = {
    _NEW: {
        "en": (
            "TrackChild: missing child case {reference}",
            "TrackChild: a child is reported missing, case {reference} ({place}). Please check and watch out. {link}",
        ),
        "hi": (
            "TrackChild: लापता बच्चे का मामला {reference}",
            "TrackChild: एक बच्चा लापता है, मामला {reference} ({place})। कृपया जाँच करें और सतर्क रहें। {link}",
        ),
        "bn": (
            "TrackChild: নিখোঁজ শিশুর মামলা {reference}",
            "TrackChild: একটি শিশু নিখোঁজ হয়েছে, মামলা {reference} ({place})। অনুগ্রহ করে দেখুন ও সতর্ক থাকুন। {link}",
        ),
        "ta": (
            "TrackChild: காணாமல் போன குழந்தை வழக்கு {reference}",
            "TrackChild: ஒரு குழந்தை காணாமல் போனதாகப் புகார், வழக்கு {reference} ({place}). "
            "தயவுசெய்து சரிபார்த்து கவனமாக இருங்கள். {link}",
        ),
        "te": (
            "TrackChild: తప్పిపోయిన బిడ్డ కేసు {reference}",
            "TrackChild: ఒక బిడ్డ తప్పిపోయినట్లు ఫిర్యాదు, కేసు {reference} ({place}). దయచేసి పరిశీలించి అప్రమత్తంగా ఉండండి. {link}",
        ),
        "mr": (
            "TrackChild: हरवलेल्या बालकाचे प्रकरण {reference}",
            "TrackChild: एक बालक हरवल्याची तक्रार, प्रकरण {reference} ({place}). कृपया तपासा आणि सतर्क राहा. {link}",
        ),
        "gu": (
            "TrackChild: ગુમ થયેલ બાળકનો કેસ {reference}",
            "TrackChild: એક બાળક ગુમ થયાની ફરિયાદ, કેસ {reference} ({place}). કૃપા કરીને તપાસ કરો અને સતર્ક રહો. {link}",
        ),
        "kn": (
            "TrackChild: ಕಾಣೆಯಾದ ಮಗುವಿನ ಪ್ರಕರಣ {reference}",
            "TrackChild: ಒಂದು ಮಗು ಕಾಣೆಯಾಗಿದೆ ಎಂದು ದೂರು, ಪ್ರಕರಣ {reference} ({place}). ದಯವಿಟ್ಟು ಪರಿಶೀಲಿಸಿ ಮತ್ತು ಎಚ್ಚರದಿಂದಿರಿ. {link}",
        ),
        "ml": (
            "TrackChild: കാണാതായ കുട്ടിയുടെ കേസ് {reference}",
            "TrackChild: ഒരു കുട്ടിയെ കാണാതായതായി പരാതി, കേസ് {reference} ({place}). ദയവായി പരിശോധിച്ച് ജാഗ്രത പാലിക്കുക. {link}",
        ),
        "pa": (
            "TrackChild: ਲਾਪਤਾ ਬੱਚੇ ਦਾ ਮਾਮਲਾ {reference}",
            "TrackChild: ਇੱਕ ਬੱਚਾ ਲਾਪਤਾ ਹੋਣ ਦੀ ਸ਼ਿਕਾਇਤ, ਮਾਮਲਾ {reference} ({place})। ਕਿਰਪਾ ਕਰਕੇ ਜਾਂਚ ਕਰੋ ਅਤੇ ਚੌਕਸ ਰਹੋ। {link}",
        ),
        "or": (
            "TrackChild: ନିଖୋଜ ପିଲାର ମାମଲା {reference}",
            "TrackChild: ଜଣେ ପିଲା ନିଖୋଜ ହୋଇଥିବା ଅଭିଯୋଗ, ମାମଲା {reference} ({place})। ଦୟାକରି ଯାଞ୍ଚ କରନ୍ତୁ ଏବଂ ସତର୍କ ରୁହନ୍ତୁ। {link}",
        ),
        "as": (
            "TrackChild: হেৰুৱা শিশুৰ গোচৰ {reference}",
            "TrackChild: এটি শিশু হেৰুৱা হোৱাৰ অভিযোগ, গোচৰ {reference} ({place})। অনুগ্ৰহ কৰি পৰীক্ষা কৰক আৰু সতৰ্ক থাকক। {link}",
        ),
        "ur": (
            "TrackChild: لاپتہ بچے کا کیس {reference}",
            "TrackChild: ایک بچے کے لاپتہ ہونے کی اطلاع، کیس {reference} ({place})۔ "
            "براہ کرم جانچ کریں اور چوکس رہیں۔ {link}",
        ),
    },
    _LIKELY: {
        "en": (
            "TrackChild: likely match for case {missing}",
            "TrackChild: likely match between missing case {missing} and case {other}. Please review. {link}",
        ),
        "hi": (
            "TrackChild: मामला {missing} का संभावित मिलान",
            "TrackChild: लापता मामला {missing} और मामला {other} में संभावित मिलान। कृपया समीक्षा करें। {link}",
        ),
        "bn": (
            "TrackChild: মামলা {missing}-এর সম্ভাব্য মিল",
            "TrackChild: নিখোঁজ মামলা {missing} ও মামলা {other}-এর মধ্যে সম্ভাব্য মিল। অনুগ্রহ করে পর্যালোচনা করুন। {link}",
        ),
        "ta": (
            "TrackChild: வழக்கு {missing} க்கு சாத்தியமான பொருத்தம்",
            "TrackChild: காணாமல் போன வழக்கு {missing} மற்றும் வழக்கு {other} இடையே சாத்தியமான பொருத்தம். "
            "தயவுசெய்து சரிபார்க்கவும். {link}",
        ),
        "te": (
            "TrackChild: కేసు {missing} కు సంభావ్య సరిపోలిక",
            "TrackChild: తప్పిపోయిన కేసు {missing} మరియు కేసు {other} మధ్య సంభావ్య సరిపోలిక. దయచేసి సమీక్షించండి. {link}",
        ),
        "mr": (
            "TrackChild: प्रकरण {missing} साठी संभाव्य जुळणी",
            "TrackChild: हरवलेले प्रकरण {missing} आणि प्रकरण {other} यांच्यात संभाव्य जुळणी. कृपया पुनरावलोकन करा. {link}",
        ),
        "gu": (
            "TrackChild: કેસ {missing} માટે સંભવિત મેળ",
            "TrackChild: ગુમ થયેલ બાળકનો કેસ {missing} અને કેસ {other} વચ્ચે સંભવિત મેળ. કૃપા કરીને સમીક્ષા કરો. {link}",
        ),
        "kn": (
            "TrackChild: ಪ್ರಕರಣ {missing} ಗೆ ಸಂಭಾವ್ಯ ಹೊಂದಾಣಿಕೆ",
            "TrackChild: ಕಾಣೆಯಾದ ಮಗುವಿನ ಪ್ರಕರಣ {missing} ಮತ್ತು ಪ್ರಕರಣ {other} ನಡುವೆ ಸಂಭಾವ್ಯ ಹೊಂದಾಣಿಕೆ. ದಯವಿಟ್ಟು ಪರಿಶೀಲಿಸಿ. {link}",
        ),
        "ml": (
            "TrackChild: കേസ് {missing} ന് സാധ്യതയുള്ള പൊരുത്തം",
            "TrackChild: കാണാതായ കുട്ടിയുടെ കേസ് {missing} ഉം കേസ് {other} ഉം തമ്മിൽ സാധ്യതയുള്ള പൊരുത്തം. ദയവായി പരിശോധിക്കുക. {link}",
        ),
        "pa": (
            "TrackChild: ਮਾਮਲੇ {missing} ਦਾ ਸੰਭਾਵੀ ਮੇਲ",
            "TrackChild: ਲਾਪਤਾ ਬੱਚੇ ਦੇ ਮਾਮਲੇ {missing} ਅਤੇ ਮਾਮਲੇ {other} ਵਿਚਕਾਰ ਸੰਭਾਵੀ ਮੇਲ। ਕਿਰਪਾ ਕਰਕੇ ਸਮੀਖਿਆ ਕਰੋ। {link}",
        ),
        "or": (
            "TrackChild: ମାମଲା {missing} ପାଇଁ ସମ୍ଭାବ୍ୟ ମେଳ",
            "TrackChild: ନିଖୋଜ ପିଲାର ମାମଲା {missing} ଓ ମାମଲା {other} ମଧ୍ୟରେ ସମ୍ଭାବ୍ୟ ମେଳ। ଦୟାକରି ସମୀକ୍ଷା କରନ୍ତୁ। {link}",
        ),
        "as": (
            "TrackChild: গোচৰ {missing}ৰ সম্ভাব্য মিল",
            "TrackChild: হেৰুৱা শিশুৰ গোচৰ {missing} আৰু গোচৰ {other}ৰ মাজত সম্ভাব্য মিল। অনুগ্ৰহ কৰি পৰ্যালোচনা কৰক। {link}",
        ),
        "ur": (
            "TrackChild: کیس {missing} کا ممکنہ میل",
            "TrackChild: لاپتہ بچے کے کیس {missing} اور کیس {other} کے درمیان ممکنہ میل۔ براہ کرم جائزہ لیں۔ {link}",
        ),
    },
    _OVERDUE: {
        "en": (
            "TrackChild: citizen report {reference} awaits triage",
            "TrackChild: citizen report {reference} has waited {hours} hours for triage at your station. "
            "Please see it now. {link}",
        ),
        "hi": (
            "TrackChild: नागरिक रिपोर्ट {reference} जाँच की प्रतीक्षा में",
            "TrackChild: नागरिक रिपोर्ट {reference} आपके थाने में {hours} घंटे से जाँच की प्रतीक्षा में है। कृपया अभी देखें। {link}",
        ),
        "bn": (
            "TrackChild: নাগরিকের রিপোর্ট {reference} যাচাইয়ের অপেক্ষায়",
            "TrackChild: নাগরিকের রিপোর্ট {reference} আপনার থানায় {hours} ঘণ্টা ধরে যাচাইয়ের অপেক্ষায় আছে। "
            "অনুগ্রহ করে এখনই দেখুন। {link}",
        ),
        "ta": (
            "TrackChild: பொதுமக்கள் புகார் {reference} பரிசீலனைக்குக் காத்திருக்கிறது",
            "TrackChild: பொதுமக்கள் புகார் {reference} உங்கள் காவல் நிலையத்தில் {hours} மணி நேரமாகப் "
            "பரிசீலனைக்குக் காத்திருக்கிறது. தயவுசெய்து உடனே பார்க்கவும். {link}",
        ),
        "te": (
            "TrackChild: పౌరుల నివేదిక {reference} పరిశీలన కోసం వేచి ఉంది",
            "TrackChild: పౌరుల నివేదిక {reference} మీ పోలీస్ స్టేషన్‌లో {hours} గంటలుగా పరిశీలన కోసం వేచి ఉంది. దయచేసి వెంటనే చూడండి. {link}",
        ),
        "mr": (
            "TrackChild: नागरिक अहवाल {reference} तपासणीच्या प्रतीक्षेत",
            "TrackChild: नागरिक अहवाल {reference} आपल्या पोलीस ठाण्यात {hours} तासांपासून तपासणीच्या प्रतीक्षेत आहे. "
            "कृपया लगेच पाहा. {link}",
        ),
        "gu": (
            "TrackChild: નાગરિક અહેવાલ {reference} તપાસની રાહ જુએ છે",
            "TrackChild: નાગરિક અહેવાલ {reference} તમારા પોલીસ સ્ટેશનમાં {hours} કલાકથી તપાસની રાહ જુએ છે. "
            "કૃપા કરીને તરત જુઓ. {link}",
        ),
        "kn": (
            "TrackChild: ನಾಗರಿಕ ವರದಿ {reference} ಪರಿಶೀಲನೆಗೆ ಕಾಯುತ್ತಿದೆ",
            "TrackChild: ನಾಗರಿಕ ವರದಿ {reference} ನಿಮ್ಮ ಪೊಲೀಸ್ ಠಾಣೆಯಲ್ಲಿ {hours} ಗಂಟೆಗಳಿಂದ ಪರಿಶೀಲನೆಗೆ ಕಾಯುತ್ತಿದೆ. ದಯವಿಟ್ಟು ಈಗಲೇ ನೋಡಿ. {link}",
        ),
        "ml": (
            "TrackChild: പൗരന്റെ റിപ്പോർട്ട് {reference} പരിശോധനയ്ക്കായി കാത്തിരിക്കുന്നു",
            "TrackChild: പൗരന്റെ റിപ്പോർട്ട് {reference} നിങ്ങളുടെ പോലീസ് സ്റ്റേഷനിൽ {hours} മണിക്കൂറായി "
            "പരിശോധനയ്ക്കായി കാത്തിരിക്കുന്നു. ദയവായി ഉടൻ നോക്കുക. {link}",
        ),
        "pa": (
            "TrackChild: ਨਾਗਰਿਕ ਰਿਪੋਰਟ {reference} ਜਾਂਚ ਦੀ ਉਡੀਕ ਵਿੱਚ",
            "TrackChild: ਨਾਗਰਿਕ ਰਿਪੋਰਟ {reference} ਤੁਹਾਡੇ ਥਾਣੇ ਵਿੱਚ {hours} ਘੰਟਿਆਂ ਤੋਂ ਜਾਂਚ ਦੀ ਉਡੀਕ ਵਿੱਚ ਹੈ। "
            "ਕਿਰਪਾ ਕਰਕੇ ਹੁਣੇ ਵੇਖੋ। {link}",
        ),
        "or": (
            "TrackChild: ନାଗରିକ ରିପୋର୍ଟ {reference} ଯାଞ୍ଚ ପାଇଁ ଅପେକ୍ଷାରେ",
            "TrackChild: ନାଗରିକ ରିପୋର୍ଟ {reference} ଆପଣଙ୍କ ଥାନାରେ {hours} ଘଣ୍ଟା ହେଲା ଯାଞ୍ଚ ପାଇଁ ଅପେକ୍ଷାରେ ଅଛି। ଦୟାକରି ଏବେ ଦେଖନ୍ତୁ। {link}",
        ),
        "as": (
            "TrackChild: নাগৰিকৰ প্ৰতিবেদন {reference} পৰীক্ষাৰ অপেক্ষাত",
            "TrackChild: নাগৰিকৰ প্ৰতিবেদন {reference} আপোনাৰ থানাত {hours} ঘণ্টাৰ পৰা পৰীক্ষাৰ অপেক্ষাত আছে। "
            "অনুগ্ৰহ কৰি এতিয়াই চাওক। {link}",
        ),
        "ur": (
            "TrackChild: شہری رپورٹ {reference} جانچ کی منتظر",
            "TrackChild: شہری رپورٹ {reference} آپ کے تھانے میں {hours} گھنٹوں سے جانچ کی منتظر ہے۔ "
            "براہ کرم ابھی دیکھیں۔ {link}",
        ),
    },
    _DIGEST: {
        "en": (
            "TrackChild: daily report {district}, {date}",
            "TrackChild daily report {district}, {date}. Missing children: new {new}, traced {traced}, "
            "pending {pending}. Citizen reports overdue: {overdue}. {link}",
        ),
        "hi": (
            "TrackChild: दैनिक रिपोर्ट {district}, {date}",
            "TrackChild दैनिक रिपोर्ट {district}, {date}। लापता बच्चे: नए {new}, मिले {traced}, लंबित {pending}। "
            "समय-सीमा पार नागरिक रिपोर्ट: {overdue}। {link}",
        ),
        "bn": (
            "TrackChild: দৈনিক রিপোর্ট {district}, {date}",
            "TrackChild দৈনিক রিপোর্ট {district}, {date}। নিখোঁজ শিশু: নতুন {new}, খুঁজে পাওয়া {traced}, "
            "বাকি {pending}। সময় পেরোনো নাগরিক রিপোর্ট: {overdue}। {link}",
        ),
        "ta": (
            "TrackChild: தினசரி அறிக்கை {district}, {date}",
            "TrackChild தினசரி அறிக்கை {district}, {date}. காணாமல் போன குழந்தைகள்: புதியவை {new}, "
            "கண்டுபிடிக்கப்பட்டவை {traced}, நிலுவையில் {pending}. தாமதமான பொதுமக்கள் புகார்கள்: {overdue}. {link}",
        ),
        "te": (
            "TrackChild: రోజువారీ నివేదిక {district}, {date}",
            "TrackChild రోజువారీ నివేదిక {district}, {date}. తప్పిపోయిన పిల్లలు: కొత్తవి {new}, దొరికినవి {traced}, "
            "పెండింగ్ {pending}. ఆలస్యమైన పౌరుల నివేదికలు: {overdue}. {link}",
        ),
        "mr": (
            "TrackChild: दैनिक अहवाल {district}, {date}",
            "TrackChild दैनिक अहवाल {district}, {date}. हरवलेली बालके: नवीन {new}, सापडलेली {traced}, "
            "प्रलंबित {pending}. मुदत ओलांडलेले नागरिक अहवाल: {overdue}. {link}",
        ),
        "gu": (
            "TrackChild: દૈનિક અહેવાલ {district}, {date}",
            "TrackChild દૈનિક અહેવાલ {district}, {date}. ગુમ થયેલ બાળકો: નવા {new}, મળી આવેલા {traced}, "
            "બાકી {pending}. સમય વીતી ગયેલા નાગરિક અહેવાલ: {overdue}. {link}",
        ),
        "kn": (
            "TrackChild: ದೈನಂದಿನ ವರದಿ {district}, {date}",
            "TrackChild ದೈನಂದಿನ ವರದಿ {district}, {date}. ಕಾಣೆಯಾದ ಮಕ್ಕಳು: ಹೊಸದು {new}, ಪತ್ತೆಯಾದವು {traced}, "
            "ಬಾಕಿ {pending}. ತಡವಾದ ನಾಗರಿಕ ವರದಿಗಳು: {overdue}. {link}",
        ),
        "ml": (
            "TrackChild: ദൈനംദിന റിപ്പോർട്ട് {district}, {date}",
            "TrackChild ദൈനംദിന റിപ്പോർട്ട് {district}, {date}. കാണാതായ കുട്ടികൾ: പുതിയത് {new}, "
            "കണ്ടെത്തിയത് {traced}, തീർപ്പാകാത്തത് {pending}. വൈകിയ പൗര റിപ്പോർട്ടുകൾ: {overdue}. {link}",
        ),
        "pa": (
            "TrackChild: ਰੋਜ਼ਾਨਾ ਰਿਪੋਰਟ {district}, {date}",
            "TrackChild ਰੋਜ਼ਾਨਾ ਰਿਪੋਰਟ {district}, {date}। ਲਾਪਤਾ ਬੱਚੇ: ਨਵੇਂ {new}, ਲੱਭੇ {traced}, ਬਕਾਇਆ {pending}। "
            "ਦੇਰੀ ਵਾਲੀਆਂ ਨਾਗਰਿਕ ਰਿਪੋਰਟਾਂ: {overdue}। {link}",
        ),
        "or": (
            "TrackChild: ଦୈନିକ ରିପୋର୍ଟ {district}, {date}",
            "TrackChild ଦୈନିକ ରିପୋର୍ଟ {district}, {date}। ନିଖୋଜ ପିଲା: ନୂଆ {new}, ମିଳିଥିବା {traced}, ବାକି {pending}। "
            "ବିଳମ୍ବିତ ନାଗରିକ ରିପୋର୍ଟ: {overdue}। {link}",
        ),
        "as": (
            "TrackChild: দৈনিক প্ৰতিবেদন {district}, {date}",
            "TrackChild দৈনিক প্ৰতিবেদন {district}, {date}। হেৰুৱা শিশু: নতুন {new}, বিচাৰি পোৱা {traced}, "
            "বাকী {pending}। পলম হোৱা নাগৰিক প্ৰতিবেদন: {overdue}। {link}",
        ),
        "ur": (
            "TrackChild: روزانہ رپورٹ {district}، {date}",
            "TrackChild روزانہ رپورٹ {district}، {date}۔ لاپتہ بچے: نئے {new}، ملے {traced}، زیر التوا {pending}۔ "
            "تاخیر شدہ شہری رپورٹیں: {overdue}۔ {link}",
        ),
    },
    _AHTU: {
        "en": (
            "TrackChild: case {reference} transferred to the AHTU",
            "TrackChild: missing child case {reference} is transferred to the Anti Human Trafficking Unit (AHTU). "
            "Please see the case. {link}",
        ),
        "hi": (
            "TrackChild: मामला {reference} AHTU को सौंपा गया",
            "TrackChild: लापता बच्चे का मामला {reference} मानव तस्करी विरोधी इकाई (AHTU) को सौंप दिया गया है। "
            "कृपया मामला देखें। {link}",
        ),
        "bn": (
            "TrackChild: মামলা {reference} AHTU-তে হস্তান্তরিত",
            "TrackChild: নিখোঁজ শিশুর মামলা {reference} মানব পাচার বিরোধী ইউনিটে (AHTU) হস্তান্তর করা হয়েছে। "
            "অনুগ্রহ করে মামলাটি দেখুন। {link}",
        ),
        "ta": (
            "TrackChild: வழக்கு {reference} AHTU-க்கு மாற்றப்பட்டது",
            "TrackChild: காணாமல் போன குழந்தை வழக்கு {reference} மனிதக் கடத்தல் தடுப்புப் பிரிவுக்கு (AHTU) "
            "மாற்றப்பட்டது. தயவுசெய்து வழக்கைப் பார்க்கவும். {link}",
        ),
        "te": (
            "TrackChild: కేసు {reference} AHTU కు బదిలీ",
            "TrackChild: తప్పిపోయిన బిడ్డ కేసు {reference} మానవ అక్రమ రవాణా నిరోధక విభాగానికి (AHTU) బదిలీ అయింది. దయచేసి కేసును చూడండి. {link}",
        ),
        "mr": (
            "TrackChild: प्रकरण {reference} AHTU कडे वर्ग",
            "TrackChild: हरवलेल्या बालकाचे प्रकरण {reference} मानवी तस्करी विरोधी पथकाकडे (AHTU) वर्ग केले आहे. "
            "कृपया प्रकरण पाहा. {link}",
        ),
        "gu": (
            "TrackChild: કેસ {reference} AHTU ને સોંપાયો",
            "TrackChild: ગુમ થયેલ બાળકનો કેસ {reference} માનવ તસ્કરી વિરોધી એકમ (AHTU) ને સોંપવામાં આવ્યો છે. "
            "કૃપા કરીને કેસ જુઓ. {link}",
        ),
        "kn": (
            "TrackChild: ಪ್ರಕರಣ {reference} AHTU ಗೆ ವರ್ಗಾವಣೆ",
            "TrackChild: ಕಾಣೆಯಾದ ಮಗುವಿನ ಪ್ರಕರಣ {reference} ಮಾನವ ಕಳ್ಳಸಾಗಣೆ ತಡೆ ಘಟಕಕ್ಕೆ (AHTU) ವರ್ಗಾಯಿಸಲಾಗಿದೆ. "
            "ದಯವಿಟ್ಟು ಪ್ರಕರಣವನ್ನು ನೋಡಿ. {link}",
        ),
        "ml": (
            "TrackChild: കേസ് {reference} AHTU-ലേക്ക് കൈമാറി",
            "TrackChild: കാണാതായ കുട്ടിയുടെ കേസ് {reference} മനുഷ്യക്കടത്ത് വിരുദ്ധ യൂണിറ്റിലേക്ക് (AHTU) കൈമാറി. ദയവായി കേസ് നോക്കുക. {link}",
        ),
        "pa": (
            "TrackChild: ਮਾਮਲਾ {reference} AHTU ਨੂੰ ਸੌਂਪਿਆ ਗਿਆ",
            "TrackChild: ਲਾਪਤਾ ਬੱਚੇ ਦਾ ਮਾਮਲਾ {reference} ਮਨੁੱਖੀ ਤਸਕਰੀ ਵਿਰੋਧੀ ਇਕਾਈ (AHTU) ਨੂੰ ਸੌਂਪ ਦਿੱਤਾ ਗਿਆ ਹੈ। "
            "ਕਿਰਪਾ ਕਰਕੇ ਮਾਮਲਾ ਵੇਖੋ। {link}",
        ),
        "or": (
            "TrackChild: ମାମଲା {reference} AHTUକୁ ହସ୍ତାନ୍ତର",
            "TrackChild: ନିଖୋଜ ପିଲାର ମାମଲା {reference} ମାନବ ଚାଲାଣ ବିରୋଧୀ ୟୁନିଟ (AHTU)କୁ ହସ୍ତାନ୍ତର କରାଯାଇଛି। ଦୟାକରି ମାମଲାଟି ଦେଖନ୍ତୁ। {link}",
        ),
        "as": (
            "TrackChild: গোচৰ {reference} AHTUলৈ হস্তান্তৰ",
            "TrackChild: হেৰুৱা শিশুৰ গোচৰ {reference} মানৱ সৰবৰাহ বিৰোধী গোটলৈ (AHTU) হস্তান্তৰ কৰা হৈছে। "
            "অনুগ্ৰহ কৰি গোচৰটো চাওক। {link}",
        ),
        "ur": (
            "TrackChild: کیس {reference} AHTU کو منتقل",
            "TrackChild: لاپتہ بچے کا کیس {reference} انسانی اسمگلنگ مخالف یونٹ (AHTU) کو منتقل کر دیا گیا ہے۔ "
            "براہ کرم کیس دیکھیں۔ {link}",
        ),
    },
    _AHTU_LATE: {
        "en": (
            "TrackChild: AHTU report overdue, case {reference}",
            "TrackChild: the AHTU progress report on missing child case {reference} was due on {date}. "
            "Please file it now. {link}",
        ),
        "hi": (
            "TrackChild: मामला {reference} की AHTU रिपोर्ट बाकी",
            "TrackChild: लापता बच्चे के मामले {reference} पर AHTU की प्रगति रिपोर्ट {date} को देनी थी। "
            "कृपया इसे अभी दाखिल करें। {link}",
        ),
        "bn": (
            "TrackChild: মামলা {reference}-এর AHTU রিপোর্ট বাকি",
            "TrackChild: নিখোঁজ শিশুর মামলা {reference}-এর AHTU অগ্রগতি রিপোর্ট {date} তারিখে জমা দেওয়ার কথা ছিল। "
            "অনুগ্রহ করে এখনই জমা দিন। {link}",
        ),
        "ta": (
            "TrackChild: வழக்கு {reference} AHTU அறிக்கை தாமதம்",
            "TrackChild: காணாமல் போன குழந்தை வழக்கு {reference} குறித்த AHTU முன்னேற்ற அறிக்கை {date} அன்று "
            "சமர்ப்பிக்கப்பட வேண்டியது. தயவுசெய்து உடனே சமர்ப்பிக்கவும். {link}",
        ),
        "te": (
            "TrackChild: కేసు {reference} AHTU నివేదిక ఆలస్యం",
            "TrackChild: తప్పిపోయిన బిడ్డ కేసు {reference} పై AHTU పురోగతి నివేదిక గడువు {date}. దయచేసి వెంటనే సమర్పించండి. {link}",
        ),
        "mr": (
            "TrackChild: प्रकरण {reference} चा AHTU अहवाल थकीत",
            "TrackChild: हरवलेल्या बालकाच्या प्रकरण {reference} वरील AHTU प्रगती अहवालाची मुदत {date} होती. "
            "कृपया तो लगेच सादर करा. {link}",
        ),
        "gu": (
            "TrackChild: કેસ {reference} નો AHTU અહેવાલ બાકી",
            "TrackChild: ગુમ થયેલ બાળકના કેસ {reference} પર AHTU નો પ્રગતિ અહેવાલ {date} સુધીમાં આપવાનો હતો. "
            "કૃપા કરીને તે તરત રજૂ કરો. {link}",
        ),
        "kn": (
            "TrackChild: ಪ್ರಕರಣ {reference} AHTU ವರದಿ ಬಾಕಿ",
            "TrackChild: ಕಾಣೆಯಾದ ಮಗುವಿನ ಪ್ರಕರಣ {reference} ಕುರಿತ AHTU ಪ್ರಗತಿ ವರದಿಯ ಗಡುವು {date} ಆಗಿತ್ತು. "
            "ದಯವಿಟ್ಟು ಈಗಲೇ ಸಲ್ಲಿಸಿ. {link}",
        ),
        "ml": (
            "TrackChild: കേസ് {reference} AHTU റിപ്പോർട്ട് വൈകി",
            "TrackChild: കാണാതായ കുട്ടിയുടെ കേസ് {reference} സംബന്ധിച്ച AHTU പുരോഗതി റിപ്പോർട്ട് {date} ന് "
            "നൽകേണ്ടതായിരുന്നു. ദയവായി ഉടൻ സമർപ്പിക്കുക. {link}",
        ),
        "pa": (
            "TrackChild: ਮਾਮਲੇ {reference} ਦੀ AHTU ਰਿਪੋਰਟ ਬਕਾਇਆ",
            "TrackChild: ਲਾਪਤਾ ਬੱਚੇ ਦੇ ਮਾਮਲੇ {reference} ਬਾਰੇ AHTU ਦੀ ਪ੍ਰਗਤੀ ਰਿਪੋਰਟ {date} ਤੱਕ ਦੇਣੀ ਸੀ। "
            "ਕਿਰਪਾ ਕਰਕੇ ਹੁਣੇ ਦਾਖ਼ਲ ਕਰੋ। {link}",
        ),
        "or": (
            "TrackChild: ମାମଲା {reference}ର AHTU ରିପୋର୍ଟ ବାକି",
            "TrackChild: ନିଖୋଜ ପିଲାର ମାମଲା {reference} ଉପରେ AHTUର ପ୍ରଗତି ରିପୋର୍ଟ {date} ସୁଦ୍ଧା ଦେବାର ଥିଲା। ଦୟାକରି ଏବେ ଦାଖଲ କରନ୍ତୁ। {link}",
        ),
        "as": (
            "TrackChild: গোচৰ {reference}ৰ AHTU প্ৰতিবেদন বাকী",
            "TrackChild: হেৰুৱা শিশুৰ গোচৰ {reference}ৰ AHTU অগ্ৰগতি প্ৰতিবেদন {date} তাৰিখে দাখিল কৰিব লাগিছিল। "
            "অনুগ্ৰহ কৰি এতিয়াই দাখিল কৰক। {link}",
        ),
        "ur": (
            "TrackChild: کیس {reference} کی AHTU رپورٹ باقی",
            "TrackChild: لاپتہ بچے کے کیس {reference} پر AHTU کی پیش رفت رپورٹ {date} تک جمع ہونی تھی۔ "
            "براہ کرم ابھی جمع کریں۔ {link}",
        ),
    },
}

LANGUAGES: tuple[str, ...] = tuple(TEXTS[_NEW])

# The main language of each state or UT (LGD code) that has texts here; states not listed are written to in English.
STATE_LANGUAGES: Mapping[str, str] = {
    "1": "ur",  # Jammu and Kashmir
    "2": "hi",  # Himachal Pradesh
    "3": "pa",  # Punjab
    "4": "hi",  # Chandigarh
    "5": "hi",  # Uttarakhand
    "6": "hi",  # Haryana
    "7": "hi",  # Delhi
    "8": "hi",  # Rajasthan
    "9": "hi",  # Uttar Pradesh
    "10": "hi",  # Bihar
    "16": "bn",  # Tripura
    "18": "as",  # Assam
    "19": "bn",  # West Bengal
    "20": "hi",  # Jharkhand
    "21": "or",  # Odisha
    "22": "hi",  # Chhattisgarh
    "23": "hi",  # Madhya Pradesh
    "24": "gu",  # Gujarat
    "27": "mr",  # Maharashtra
    "28": "te",  # Andhra Pradesh
    "29": "kn",  # Karnataka
    "31": "ml",  # Lakshadweep
    "32": "ml",  # Kerala
    "33": "ta",  # Tamil Nadu
    "34": "ta",  # Puducherry
    "35": "hi",  # Andaman and Nicobar Islands
    "36": "te",  # Telangana
    "37": "hi",  # Ladakh
    "38": "gu",  # Dadra and Nagar Haveli and Daman and Diu
}


def language_for(languages: Iterable[str], state_code: str | None = None) -> str:
    """The first of a body's recorded languages that has texts; else its state's main language; else English."""
    recorded = next((code.lower() for code in languages if code.lower() in TEXTS[_NEW]), None)
    if recorded is not None:
        return recorded
    return STATE_LANGUAGES.get(state_code or "", DEFAULT_LANGUAGE)


def render(rule: AlertRule, language: str, **fields: str) -> tuple[str, str]:
    """(subject, text) of ``rule`` in ``language`` (English if it has no texts)."""
    subject, text = TEXTS[rule].get(language) or TEXTS[rule][DEFAULT_LANGUAGE]
    return subject.format(**fields), text.format(**fields)
