"""Name pools for demo children and their families, by naming culture, as FIRs and registers write them.

Pools are whitespace-separated strings, not tuple literals, so the formatter keeps them to a few lines; an
underscore stands for a space inside one entry. Fathers and mothers get their own pools because parents' names
are a generation older (Suresh, Sunita) than their children's (Rahul, Khushi).
"""

from __future__ import annotations

HINDI = "hindi"
BENGALI = "bengali"
MARATHI = "marathi"
CULTURES = (HINDI, BENGALI, MARATHI)


def words(text: str) -> tuple[str, ...]:
    return tuple(w.replace("_", " ") for w in text.split())


BOYS: dict[str, tuple[str, ...]] = {
    HINDI: words(
        "Rahul Amit Sonu Ravi Sachin Vikash Deepak Ankit Aman Rohit Suraj Arjun Ajay Nitish Pawan Manish "
        "Abhishek Aditya Ritik Sahil Kundan Chandan Raushan Gaurav Vishal Shivam Prince Anuj Kishan Govind "
        "Sanjeev Aryan Harsh Mohit Sumit Dheeraj Sunny"
    ),
    BENGALI: words(
        "Subhajit Sourav Arijit Rohan Suman Biswajit Sayan Rahul Ayan Debjit Pritam Tapas Sujoy Ankan Soumya "
        "Anik Rajdeep Sandip Abhijit Bapan Suvankar Indranil Arnab Sagar Joy Prosenjit Shibam Tanmoy Sumit"
    ),
    MARATHI: words(
        "Sairaj Omkar Pratik Sanket Aniket Rohit Ganesh Tushar Akash Vishal Swapnil Siddhesh Aditya Yash "
        "Prathamesh Shubham Atharva Soham Vedant Rushikesh Sagar Mayur Nikhil Kunal Vaibhav Tejas Parth"
    ),
}
GIRLS: dict[str, tuple[str, ...]] = {
    HINDI: words(
        "Pooja Priya Neha Anjali Khushi Kajal Laxmi Rani Sonam Nisha Priyanka Sapna Riya Shivani Komal Aarti "
        "Muskan Radha Sita Kavita Suman Jyoti Ritu Sarita Nandini Sakshi Kumkum Soni Rinki Mamta Anita"
    ),
    BENGALI: words(
        "Moumita Rupa Puja Priyanka Sreya Tanushree Mousumi Riya Payel Susmita Ankita Rumpa Sonali Rimpa "
        "Tania Paramita Debjani Mithu Soma Piyali Sathi Bristi Koyel Rakhi Laxmi"
    ),
    MARATHI: words(
        "Snehal Pooja Pranali Sakshi Shruti Vaishnavi Rutuja Tejal Prajakta Ashwini Komal Dipali Samruddhi "
        "Aarya Sayali Gauri Mrunal Rupali Pallavi Kajal Siddhi Shravani Anuja Priti Manasi"
    ),
}
SURNAMES: dict[str, tuple[str, ...]] = {
    HINDI: words(
        "Yadav Singh Paswan Mahto Sharma Gupta Verma Prasad Ram Manjhi Chaudhary Mishra Pandey Rajbhar "
        "Nishad Kushwaha Sah Maurya Rawat Jha Thakur Rai Tiwari Sahni Baitha Kumar"
    ),
    BENGALI: words(
        "Das Ghosh Mondal Roy Sarkar Biswas Pal Dey Saha Bag Haldar Mahato Bera Naskar Majhi Chatterjee "
        "Banerjee Mukherjee Dutta Sen Barman Pramanik Jana Maity Adhikary Hazra Bhunia"
    ),
    MARATHI: words(
        "Patil Jadhav Pawar Shinde More Kamble Gaikwad Chavan Deshmukh Kale Salunkhe Bhosale Waghmare Mane "
        "Kulkarni Jagtap Kadam Sawant Thorat Shelar Sonawane Lokhande Bansode Kharat Nikam"
    ),
}
FATHERS: dict[str, tuple[str, ...]] = {
    HINDI: words(
        "Suresh Ramesh Mahesh Dinesh Rajesh Sunil Manoj Sanjay Rakesh Shambhu Birendra Vinod Ashok Umesh "
        "Shankar Lalan Jitendra Mukesh Arvind Santosh Ramashish Nagendra Dilip Bablu Pappu"
    ),
    BENGALI: words(
        "Tapan Swapan Gopal Ashok Nirmal Bikash Sanjay Dilip Prabir Subhas Ratan Kartik Nimai Shankar Uttam "
        "Pradip Sukumar Gour Tarun Biplab"
    ),
    MARATHI: words(
        "Sunil Santosh Dattatray Vijay Ganesh Prakash Balu Sanjay Ramesh Anil Dilip Maruti Ashok Suresh "
        "Vilas Sopan Bhausaheb Tanaji Namdev Pandurang Eknath"
    ),
}
MOTHERS: dict[str, tuple[str, ...]] = {
    HINDI: words(
        "Sunita Geeta Rekha Manju Savitri Rinku Pushpa Kiran Anita Usha Meena Sarita Lalita Sushila Shanti "
        "Poonam Guddi Kanti Phoolmati Sangeeta Babita Rita"
    ),
    BENGALI: words(
        "Sabita Mina Rina Kalpana Anima Shefali Mamata Jharna Sandhya Chhabi Lakshmi Putul Pratima Alpana "
        "Dipali Malati Kabita Sumitra Tapati"
    ),
    MARATHI: words(
        "Sunita Sangita Manisha Vaishali Jyoti Asha Sunanda Mangal Shobha Lata Ujwala Suvarna Kalpana Savita "
        "Rekha Archana Sharada Surekha"
    ),
}
# Hindi-belt fathers often carry a middle name that the children do not ("Ram Prasad Yadav").
HINDI_MIDDLES = words("Prasad Kumar Lal Nath Chandra Narayan")
# Bengali Hindu mothers are often registered as "Sabita Rani Das".
BENGALI_MOTHER_MIDDLES = words("Rani Bala")

MUSLIM_BOYS: dict[str, tuple[str, ...]] = {
    HINDI: words(
        "Salim Rafiq Imran Arif Sohail Faizan Arman Sameer Shahid Aamir Irfan Danish Rizwan Sahil Naushad "
        "Tabrez Afroz Shahbaz Javed Kaif Ayaan Nadeem"
    ),
    BENGALI: words(
        "Rafiq Salim Jahangir Sahil Mizanur Ashraful Hasan Anisur Rakib Sabir Rubel Habibur Mehebub Rajib "
        "Alamgir Samim Firoz"
    ),
    MARATHI: words("Sameer Faizan Arbaz Salman Sohail Ayan Imran Zaid Adnan Rehan Junaid Altamash Aftab Moin"),
}
MUSLIM_GIRLS: dict[str, tuple[str, ...]] = {
    HINDI: words(
        "Rukhsar Shabnam Nazia Sana Afreen Muskan Tabassum Ruby Farzana Nargis Shaheen Zoya Reshma Gulshan "
        "Chandni Nikhat Sabiha Saba Asma"
    ),
    BENGALI: words(
        "Rupa Mumtaz Salma Rehana Jasmina Sahina Nasrin Rozina Ayesha Sabina Tamanna Mamoni Asmina Sahanara"
    ),
    MARATHI: words("Sana Afreen Tabassum Mehek Alfiya Heena Nazneen Shifa Zoya Muskan Aliya Sumaiya Farheen"),
}
MUSLIM_SURNAMES: dict[str, tuple[str, ...]] = {
    HINDI: words("Ansari Khan Qureshi Siddiqui Shaikh Alam Ahmad Mansuri Saifi Malik Idrisi Hussain"),
    # "Sk" is a surname that is written before the given name: "Sk. Rafiq".
    BENGALI: words("Sk Sk Mondal Molla Khan Mallick Laskar Gazi Haque Ali Sardar"),
    MARATHI: words("Shaikh Pathan Khan Sayyed Inamdar Bagwan Tamboli Mulla Attar Qureshi Momin Ansari"),
}
MUSLIM_FATHERS: dict[str, tuple[str, ...]] = {
    HINDI: words("Salim Rafiq Jamil Shakil Nasim Anwar Mumtaz Islam Akhtar Jabbar Kalim Sabir Mustaqim Idris Wasim"),
    BENGALI: words("Salim Rafiq Jalal Kasem Abdul Hafizul Nazrul Rahim Sirajul Samsul Enamul Aminul Kader"),
    MARATHI: words("Rafiq Salim Anwar Javed Ayub Harun Yusuf Jameel Shakeel Iqbal Nisar Bashir"),
}
MUSLIM_MOTHERS: dict[str, tuple[str, ...]] = {
    HINDI: words("Shabana Nasreen Rubina Shahnaz Jamila Noorjahan Sakina Rehana Hasina Zubeda Kulsum Sabra Najma"),
    BENGALI: words("Salma Rahima Jahanara Amina Hasina Marjina Rabeya Sufia Rokeya Mamtaz Anowara Fatema"),
    MARATHI: words("Shabana Rubina Yasmin Shahin Nasreen Parveen Rukhsana Jaibun Mumtaz Salma Haseena"),
}
# Written before a Muslim man's or boy's given name, in the abbreviations registers really use.
MUSLIM_PREFIXES: dict[str, tuple[str, ...]] = {
    HINDI: words("Md. Mohd. Md Mohammad Mohd"),
    BENGALI: words("Md. Md."),
    MARATHI: words("Mohammad Md."),
}
# What stands where a surname would for Muslim girls and women in the north and east.
MUSLIM_GIRL_ENDINGS: dict[str, tuple[str, ...]] = {
    HINDI: words("Khatoon Parveen Bano Khatun"),
    BENGALI: words("Khatun Khatun Parvin"),
    MARATHI: (),
}
MUSLIM_MOTHER_ENDINGS: dict[str, tuple[str, ...]] = {
    HINDI: words("Khatoon Begum Bano Parveen"),
    BENGALI: words("Bibi Begum Khatun"),
    MARATHI: (),
}

# Household nicknames: often the only name a small or frightened child gives.
NICKNAMES: dict[tuple[str, str], tuple[str, ...]] = {
    (HINDI, "MALE"): words("Chhotu Munna Guddu Golu Bablu Pappu Sonu Monu Bittu Raju Tinku Chintu Lalu Bhola"),
    (HINDI, "FEMALE"): words("Pinki Babli Guddi Gudiya Munni Chutki Rinki Sweety Chinki Soni Bebi"),
    (BENGALI, "MALE"): words("Bapi Bubai Tukai Babu Piklu Bumba Raju Munna Pinku Tublu"),
    (BENGALI, "FEMALE"): words("Mampi Tumpa Rimpa Pinki Buri Mou Tuktuki Munni Sonai"),
    (MARATHI, "MALE"): words("Bablya Pintya Sonya Bunty Chotu Baban Pappu Raju"),
    (MARATHI, "FEMALE"): words("Chinu Pinky Sonu Bebi Chimu Minu Babli"),
}
