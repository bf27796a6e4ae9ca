"""Who the synthetic children are: name pools per community, and which communities live in which state.

The pools are common given names, surnames, middle names (Kumar, Singh, Kaur, Khatun...), mothers' name suffixes and
pet names, as they are written in Latin letters in police and CWC records. Spelling here is one common form; the
variants come from ``spelling``. Communities without surnames (Tamil, Kannada, Malayali) carry the father's given name
as the second name, the way those records are usually kept.
"""

from __future__ import annotations

from dataclasses import dataclass


def _w(text: str) -> tuple[str, ...]:
    return tuple(text.split())


@dataclass(frozen=True, slots=True)
class Community:
    key: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]  # empty: patronymic (the father's given name follows the child's)
    surname_rate: float
    male_middle: tuple[str, float] | None = None  # e.g. ("Kumar", 0.4): after the given name, at that rate
    female_middle: tuple[str, float] | None = None
    male_prefix: tuple[str, float] | None = None  # e.g. ("Mohammed", 0.45): before the given name
    surname_first_rate: float = 0.0  # Telugu house names come first
    mother_suffixes: tuple[str, ...] = ()
    nick_male: tuple[str, ...] = ()
    nick_female: tuple[str, ...] = ()
    script: str = "Devanagari"  # the script the family's own language is written in (when one of the five)
    language: str | None = None  # None: the home state's language


_NICK_M = "Monu Golu Guddu Munna Chhotu Sonu Pappu Bablu Raju Bittu Tinku Pintu Bunty Lucky Babu Chintu Bholu"
_NICK_F = "Pinki Guddi Munni Chhoti Sonu Rinki Dolly Babli Bulbul Gudiya Chutki Minu Titli Baby Rani"

HINDI = Community(
    key="hindi",
    male=_w(
        "Ram Shyam Mohan Sohan Rahul Rohit Amit Sumit Anil Sunil Vikas Vivek Deepak Manoj Sanjay Ajay Vijay Rakesh "
        "Mukesh Suresh Ramesh Dinesh Rajesh Pankaj Sachin Ankit Aman Akash Abhishek Aditya Arjun Ravi Gaurav Saurabh "
        "Shivam Krishna Govind Dharmendra Jitendra Birendra Lakshman Shubham Ritik Nitish Pawan Vishal Kundan Chandan "
        "Santosh Umesh Yogesh Harsh Kunal Ayush Priyanshu Anuj Aryan Bhupendra Satyam Sunny Dheeraj Niraj Ashish"
    ),
    female=_w(
        "Pooja Priya Neha Anjali Sunita Sumita Kavita Savita Rekha Rita Sita Gita Lakshmi Radha Shanti Kiran Anita "
        "Mamta Seema Reena Meena Nisha Khushi Sakshi Shivani Priyanka Kajal Komal Jyoti Aarti Rani Manisha Sapna "
        "Shalini Preeti Ritu Suman Babita Sarita Ragini Roshni Nandini Anushka Muskan Saloni Simran Vandana Usha "
        "Durga Parvati Radhika Shweta Sonam Chanda Bhavna Shobha Sushma"
    ),
    surnames=_w(
        "Yadav Sharma Verma Singh Gupta Mishra Pandey Tiwari Dubey Chauhan Prasad Paswan Mahto Manjhi Ram Rai Jha "
        "Thakur Chaudhary Kushwaha Maurya Nishad Pal Prajapati Saini Srivastava Tripathi Shukla Rajput Rawat Negi "
        "Bisht Oraon Munda Soren Hembrom Tudu Sahni Baitha Rajbhar Kurmi Sah"
    ),
    surname_rate=0.7,
    male_middle=("Kumar", 0.4),
    female_middle=("Kumari", 0.35),
    mother_suffixes=("Devi",),
    nick_male=_w(_NICK_M),
    nick_female=_w(_NICK_F),
)
BENGALI = Community(
    key="bengali",
    male=_w(
        "Arindam Sourav Subhajit Debashis Partha Abhijit Biswajit Tapas Prasenjit Sujoy Ankan Rupam Sayan Soumya "
        "Rahul Arnab Anirban Suman Ritam Avik Sandip Pradip Dipankar Tanmoy Koushik Rajib Sanjib Bikash Biplab Gopal "
        "Nirmal Amit Joydeep Subrata Sudip Ayan Rohan Shubhankar"
    ),
    female=_w(
        "Moumita Susmita Paromita Rupa Rumpa Shreya Riya Puja Payel Tania Priyanka Sharmistha Ananya Debjani "
        "Madhumita Mitali Sathi Rimpa Dipika Soma Swati Laxmi Saraswati Ishita Sreeja Barsha Trisha Oindrila Sanchita "
        "Mousumi Rituparna Shampa Arpita Sangita"
    ),
    surnames=_w(
        "Das Dey Ghosh Bose Basu Roy Mondal Mandal Biswas Sarkar Chatterjee Banerjee Mukherjee Chakraborty Saha Pal "
        "Halder Bag Sen Dutta Majumder Paul Naskar Karmakar Pramanik Bhattacharya Adhikari Maity Jana Giri"
    ),
    surname_rate=0.85,
    nick_male=_w("Bapi Bubai Tutu Bablu Pintu Raju Montu Bumba Babai Khokon"),
    nick_female=_w("Mou Mampi Tumpa Tuktuki Pinki Munni Rinku Bulti Poppy Buri"),
    script="Bengali",
)
TAMIL = Community(
    key="tamil",
    male=_w(
        "Murugan Karthik Arun Vignesh Prakash Senthil Saravanan Ganesh Suresh Dinesh Manikandan Balaji Rajesh Vijay "
        "Ajith Surya Aravind Hari Gokul Santhosh Naveen Praveen Madhan Muthu Selvam Raja Velu Kannan Mani Sivakumar "
        "Ramesh Sathish Dhanush Tamilarasan Anbu Bharath Kishore"
    ),
    female=_w(
        "Lakshmi Priya Divya Kavya Deepa Revathi Saranya Meena Malathi Anitha Sangeetha Nandhini Keerthana Gayathri "
        "Pavithra Janani Abinaya Dharshini Harini Kalaiselvi Tamilselvi Selvi Vasanthi Ponni Mahalakshmi Sowmya "
        "Shalini Yamini Swathi Bhuvana"
    ),
    surnames=(),
    surname_rate=0.75,
    nick_male=_w("Kutty Chinna Babu Raja Thambi Appu Karthi Bala"),
    nick_female=_w("Papa Chellam Kutty Baby Ammu Chinni Selvi"),
    script="Tamil",
)
TELUGU = Community(
    key="telugu",
    male=_w(
        "Srinivas Venkatesh Ramesh Suresh Naresh Mahesh Rajesh Ravi Kiran Praveen Naveen Srikanth Sai Charan Teja "
        "Vamshi Harish Anil Sunil Prasad Nagaraju Raju Venkat Akhil Nikhil Rohith Karthik Manoj Sandeep Vinay Ganesh "
        "Balaraju Yadagiri Mallesh Shiva"
    ),
    female=_w(
        "Lakshmi Sravani Swathi Divya Anusha Keerthi Bhavani Padma Sirisha Sravya Harika Mounika Sindhu Pravallika "
        "Ramya Sushma Madhavi Sujatha Vani Renuka Sailaja Aruna Jyothi Navya Varsha Sahithi Manasa Tejaswini Sneha "
        "Kavya"
    ),
    surnames=_w(
        "Reddy Rao Goud Naidu Yadav Chary Varma Kethavath Bandi Gundu Banoth Bhukya Mudiraj Gaddam Kommu Pasula "
        "Boda Madiga Nayak Chilukuri"
    ),
    surname_rate=0.8,
    surname_first_rate=0.5,
    nick_male=_w("Chinna Chintu Bunny Pandu Babu Chanti Nani"),
    nick_female=_w("Chinni Bujji Pinky Ammulu Papa Nanni"),
    script="Telugu",
)
PUNJABI = Community(
    key="punjabi",
    male=_w(
        "Gurpreet Harpreet Manpreet Jaspreet Amandeep Gagandeep Navdeep Sandeep Harjit Jasbir Kuldeep Baljit "
        "Harinder Jagjit Lovepreet Arshdeep Karan Sukhwinder Parminder Ranjit Tejinder Gurjit Simranjit Jaskaran "
        "Harman Yuvraj Prabhjot Gurkirat Ekam Manjot"
    ),
    female=_w(
        "Gurpreet Harpreet Manpreet Jaspreet Simran Navneet Amandeep Rajwinder Paramjit Kiranjit Harleen Jasleen "
        "Sukhmani Gurleen Prabhleen Manjit Rupinder Sandeep Baljit Mandeep Jasmeet Harmeet Navjot Ravneet Noor "
        "Arshpreet Taranjit Komalpreet"
    ),
    surnames=_w(
        "Sandhu Gill Dhillon Sidhu Brar Grewal Bajwa Randhawa Virk Cheema Sekhon Mann Aulakh Chahal Saini Kang "
        "Hundal Bains Toor Khaira"
    ),
    surname_rate=0.4,
    male_middle=("Singh", 0.85),
    female_middle=("Kaur", 0.85),
    mother_suffixes=("Kaur",),
    nick_male=_w("Bittu Lucky Sunny Happy Goldy Romi Pinda Laddi Bobby"),
    nick_female=_w("Pinki Dolly Simmi Rinku Guddi Preeto"),
    script="Gurmukhi",
    language="Punjabi",
)
MUSLIM = Community(
    key="muslim",
    male=_w(
        "Arif Salim Imran Irfan Asif Sajid Shahid Zahid Rashid Faizan Farhan Ayaan Aamir Arbaaz Sameer Danish Rizwan "
        "Javed Naved Nadeem Wasim Aslam Akram Anwar Shoaib Sohail Tabrez Zaid Yusuf Ismail Ibrahim Hasan Hussain Ali "
        "Raza Kaif Adil Junaid Altaf Rehan Sahil Aftab"
    ),
    female=_w(
        "Fatima Ayesha Zainab Shabana Rukhsar Nazia Nasreen Parveen Reshma Salma Shaheen Tabassum Yasmin Farzana "
        "Heena Muskan Sana Saniya Alina Mehjabeen Sabina Rubina Shabnam Nargis Gulnaz Afreen Zoya Mariyam Khushnuma "
        "Ruksana Sadiya Asma Sumaiya Nagma Rabia"
    ),
    surnames=_w(
        "Khan Ansari Sheikh Qureshi Siddiqui Ahmed Alam Hussain Rahman Mansoori Saifi Malik Pathan Shaikh Mirza Syed "
        "Idrisi Rizvi Abbasi Lone Bhat Dar Wani Sheikh Khan Ansari"
    ),
    surname_rate=0.7,
    male_prefix=("Mohammed", 0.45),
    female_middle=("Khatun", 0.3),
    mother_suffixes=("Begum", "Khatun", "Bibi"),
    nick_male=_w("Guddu Munna Chhotu Pappu Bablu Sonu Rinku Bunty Raja Babu Lalla"),
    nick_female=_w("Guddi Munni Pinki Chutki Gudiya Baby Rani Sonu Nanhi"),
    language=None,
)
ODIA = Community(
    key="odia",
    male=_w(
        "Subash Bikash Prakash Sibaram Jagannath Biswajit Sanjay Manas Debasis Pradeep Ranjan Soumya Subrat Ashis "
        "Chinmaya Sambit Tapan Santosh Niranjan Sudhir Lingaraj Gopinath Bijay Rakesh Ajit Saroj Dillip Amiya"
    ),
    female=_w(
        "Sasmita Smita Mamata Sujata Pramila Laxmipriya Sanghamitra Subhashree Itishree Jyotirmayee Madhusmita Lipsa "
        "Puja Rashmita Swagatika Tapaswini Sonali Priyanka Barsha Monalisa Anjali Bhagyashree Gitanjali Rupali"
    ),
    surnames=_w(
        "Behera Sahu Nayak Das Mohanty Pradhan Swain Sahoo Rout Jena Mishra Panda Patra Sethi Barik Majhi Naik "
        "Mallick Biswal Dash Parida Samal"
    ),
    surname_rate=0.85,
    nick_male=_w("Bapi Tukuna Bulu Raju Pintu Munna Babu"),
    nick_female=_w("Mili Tuni Puni Rinky Mama Lili"),
    language="Odia",
)
MARATHI = Community(
    key="marathi",
    male=_w(
        "Sachin Rahul Ganesh Sagar Akash Omkar Pratik Sandeep Sunil Santosh Vishal Rohit Amol Nilesh Mahesh Prashant "
        "Tushar Vaibhav Swapnil Aniket Sai Yash Atharva Shubham Siddharth Sanket Vinayak Dnyaneshwar"
    ),
    female=_w(
        "Pooja Priyanka Sneha Pallavi Ashwini Snehal Komal Shraddha Aishwarya Rutuja Sayali Vaishnavi Prajakta "
        "Madhuri Anjali Manisha Sonali Rupali Sakshi Tejaswini Gauri Kavita Sunita Shital Mayuri"
    ),
    surnames=_w(
        "Patil Jadhav Pawar Shinde More Kale Gaikwad Kamble Shirsat Salunkhe Deshmukh Kulkarni Joshi Chavan Bhosale "
        "Sawant Kadam Mane Thorat Wagh Gavli Mhatre Sonawane"
    ),
    surname_rate=0.85,
    nick_male=_w("Bunty Pintu Chintu Babu Sonu Montu Pappu"),
    nick_female=_w("Chinu Pinki Sonu Babli Minu Tai"),
    language="Marathi",
)
KANNADA = Community(
    key="kannada",
    male=_w(
        "Manjunath Basavaraj Mallikarjun Raghavendra Santosh Shivakumar Nagaraj Prakash Ravi Kiran Naveen Harish "
        "Mahesh Chandan Darshan Puneeth Yashwanth Madhu Shashank Abhishek Girish Lokesh Umesh Siddharth"
    ),
    female=_w(
        "Lakshmi Savitha Kavya Divya Shwetha Ramya Pavithra Bhavya Rakshitha Sahana Spoorthi Chaithra Deepika "
        "Bhagya Sumitra Roopa Anitha Keerthana Manjula Nandini Shruthi Sowmya"
    ),
    surnames=(),
    surname_rate=0.7,
    nick_male=_w("Chinnu Puttu Babu Raju Kittu Appu"),
    nick_female=_w("Chinnu Puttamma Baby Pinky Ammu"),
    language="Kannada",
)
MALAYALI = Community(
    key="malayali",
    male=_w(
        "Arjun Akhil Anand Abhijith Rahul Vishnu Sreejith Arun Nikhil Sarath Anoop Jithin Vineeth Manu Sajeev "
        "Rajeev Biju Shibu Aswin Adarsh Nithin Sreenath Gokul"
    ),
    female=_w(
        "Aswathy Anjali Athira Sreelakshmi Anusree Aiswarya Gopika Devika Nimisha Neethu Reshma Soumya Divya Arya "
        "Lekshmi Parvathy Anagha Krishnendu Meera Nandana Sruthi"
    ),
    surnames=(),
    surname_rate=0.7,
    nick_male=_w("Kuttan Appu Unni Kannan Monu Babu"),
    nick_female=_w("Ammu Chinnu Kunji Molu Minnu"),
    language="Malayalam",
)
COMMUNITIES = {c.key: c for c in (HINDI, BENGALI, TAMIL, TELUGU, PUNJABI, MUSLIM, ODIA, MARATHI, KANNADA, MALAYALI)}

# Home states of missing children (LGD state abbreviation): relative weight, and the communities living there.
HOMES: dict[str, tuple[float, dict[str, float]]] = {
    "UP": (14.0, {"hindi": 0.78, "muslim": 0.22}),
    "BR": (10.0, {"hindi": 0.8, "muslim": 0.2}),
    "WB": (14.0, {"bengali": 0.7, "muslim": 0.27, "hindi": 0.03}),
    "MH": (12.0, {"marathi": 0.8, "muslim": 0.12, "hindi": 0.08}),
    "DL": (8.0, {"hindi": 0.7, "punjabi": 0.12, "muslim": 0.18}),
    "JH": (5.0, {"hindi": 0.75, "muslim": 0.12, "bengali": 0.13}),
    "OD": (6.0, {"odia": 0.95, "muslim": 0.05}),
    "TN": (7.0, {"tamil": 0.93, "muslim": 0.07}),
    "TG": (5.0, {"telugu": 0.85, "muslim": 0.15}),
    "KA": (6.0, {"kannada": 0.85, "muslim": 0.15}),
    "KL": (3.0, {"malayali": 0.75, "muslim": 0.25}),
    "PB": (3.0, {"punjabi": 0.85, "hindi": 0.15}),
    "UK": (1.5, {"hindi": 0.9, "muslim": 0.1}),
    "HP": (0.7, {"hindi": 0.95, "punjabi": 0.05}),
    "JK": (1.2, {"muslim": 0.7, "hindi": 0.3}),
    "TR": (0.5, {"bengali": 0.9, "muslim": 0.1}),
    "CH": (0.3, {"punjabi": 0.5, "hindi": 0.5}),
    "PY": (0.3, {"tamil": 1.0}),
}

# The language of each state's records and people, and the script its offices write names in (None: not one of the
# five scripts the matcher must read; the record then stays in Latin letters or uses the child's own script).
STATE_LANGUAGE = {
    "UP": "Hindi", "BR": "Hindi", "JH": "Hindi", "UK": "Hindi", "DL": "Hindi", "HP": "Hindi", "CH": "Hindi",
    "WB": "Bengali", "TR": "Bengali", "OD": "Odia", "MH": "Marathi", "TN": "Tamil", "PY": "Tamil", "TG": "Telugu",
    "KA": "Kannada", "KL": "Malayalam", "PB": "Punjabi", "JK": "Urdu",
}  # fmt: skip
STATE_SCRIPT = {
    "UP": "Devanagari", "BR": "Devanagari", "JH": "Devanagari", "UK": "Devanagari", "DL": "Devanagari",
    "HP": "Devanagari", "CH": "Gurmukhi", "MH": "Devanagari", "WB": "Bengali", "TR": "Bengali", "TN": "Tamil",
    "PY": "Tamil", "TG": "Telugu", "PB": "Gurmukhi",
}  # fmt: skip

COLOURS = _w("red blue green yellow white black pink orange grey brown maroon purple navy cream")
TOPS = ("shirt", "t-shirt", "kurta", "frock", "sweater", "school shirt", "top", "jacket", "salwar kameez")
BOTTOMS = ("jeans", "trousers", "shorts", "pyjama", "half pant", "skirt", "leggings", "lungi")
MARKS = (
    "mole on left cheek", "mole on right cheek", "burn mark on right hand", "burn mark on left arm",
    "scar on forehead", "scar above right eye", "birthmark on neck", "birthmark on back", "missing front tooth",
    "six fingers on left hand", "cut mark on chin", "tattoo of name on right forearm", "black spot on nose",
)  # fmt: skip
