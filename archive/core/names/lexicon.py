"""A lexicon of real Persian given names, family names and honorifics.

Each entry pairs the usual Persian spelling with the Latin spellings that actually turn
up in NGO, UN and press lists (Persian-style ``Hosseini``, Arabic-style ``Husseini``,
French-era ``Djafar``, spaced or hyphenated compounds ``Mohammad Reza``). The first Latin
spelling is the most common one; the order matters because the synthetic corpus picks
early spellings more often.

Entries within a section are in rough order of frequency in the victim lists (Mohammad,
Ali, Hossein ... first), which the synthetic corpus turns into a Zipf-like skew so that
namesakes exist as they do in the real data.

The module is plain data plus a loader; it imports nothing from Django. ``names.py``
reads it lazily to split joined compounds (``Mohammadreza`` = ``Mohammad`` + ``Reza``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from archive.core.names.text import normalize_latin, normalize_persian

# gender|Persian|Latin spellings (comma separated; a space or hyphen marks a compound).
_GIVEN = """
m|محمد|Mohammad,Mohammed,Muhammad,Mohamad,Mohamed
m|علی|Ali,Aly
m|حسین|Hossein,Hussein,Hosein,Husain,Hossain,Hosseyn
m|حسن|Hassan,Hasan
m|رضا|Reza
m|مهدی|Mehdi,Mahdi,Mehdy
m|احمد|Ahmad,Ahmed
m|محمود|Mahmoud,Mahmood,Mahmud
m|محمدرضا|Mohammadreza,Mohammad Reza,Mohamadreza,Mohammad-Reza
m|علیرضا|Alireza,Ali Reza,Ali-Reza
m|غلامرضا|Gholamreza,Gholam Reza,Qolamreza,Gholam-Reza
m|مصطفی|Mostafa,Mustafa,Mostafa
m|مرتضی|Morteza,Mortaza,Murtaza
m|مجتبی|Mojtaba,Mujtaba
m|قاسم|Ghasem,Qasem,Qassem,Ghassem,Kasem
m|جعفر|Jafar,Jaafar,Ja'far,Djafar
m|جواد|Javad,Jawad,Djavad
m|کاظم|Kazem,Kazim
m|باقر|Bagher,Baqer
m|صادق|Sadegh,Sadeq
m|تقی|Taghi,Taqi
m|هادی|Hadi
m|عباس|Abbas,Abas
m|ابراهیم|Ebrahim,Ibrahim,Ebraheem
m|اسماعیل|Esmaeil,Esmail,Ismail,Esmaiel
m|یوسف|Yousef,Yousof,Yusuf,Yousuf,Youssef
m|یعقوب|Yaghoub,Yaqub,Yaghoob,Yaqoub
m|داوود|Davoud,Davood,Davud,Dawood
m|موسی|Mousa,Musa,Moosa
m|عیسی|Isa,Issa,Eisa
m|یحیی|Yahya,Yahia
m|زکریا|Zakaria,Zakariya
m|اکبر|Akbar
m|اصغر|Asghar,Asqar
m|علی‌اکبر|Aliakbar,Ali Akbar,Ali-Akbar
m|علی‌اصغر|Aliasghar,Ali Asghar,Ali-Asghar
m|محمدعلی|Mohammadali,Mohammad Ali,Mohamad Ali
m|محمدحسین|Mohammadhossein,Mohammad Hossein,Mohammad Hosein
m|محمدباقر|Mohammadbagher,Mohammad Bagher,Mohammad Baqer
m|محمدتقی|Mohammadtaghi,Mohammad Taghi,Mohammad Taqi
m|محمدجواد|Mohammadjavad,Mohammad Javad
m|محمدمهدی|Mohammadmehdi,Mohammad Mehdi
m|محمدصادق|Mohammadsadegh,Mohammad Sadegh
m|محمدحسن|Mohammadhassan,Mohammad Hassan
m|محمدکاظم|Mohammadkazem,Mohammad Kazem
m|امیرحسین|Amirhossein,Amir Hossein,Amir Hosein
m|غلامحسین|Gholamhossein,Gholam Hossein,Qolamhossein
m|غلامعلی|Gholamali,Gholam Ali,Qolamali
m|عبدالله|Abdollah,Abdullah,Abdolah,Abdallah
m|عبدالرضا|Abdolreza,Abdol Reza,Abdulreza
m|عبدالحسین|Abdolhossein,Abdol Hossein,Abdulhussein
m|روح‌الله|Rouhollah,Ruhollah,Rohollah,Rouhallah
m|نصرالله|Nasrollah,Nasrallah
m|حبیب‌الله|Habibollah,Habibolah,Habibullah
m|فتح‌الله|Fathollah,Fatholah
m|اسدالله|Asadollah,Asadolah,Asadullah
m|ولی‌الله|Valiollah,Valiolah,Waliullah
m|یدالله|Yadollah,Yadolah
m|نعمت‌الله|Nematollah,Ne'matollah,Nematolah
m|عزت‌الله|Ezzatollah,Ezatollah
m|رحمت‌الله|Rahmatollah,Rahmatolah
m|ذبیح‌الله|Zabihollah,Zabiholah
m|شکرالله|Shokrollah,Shokrolah
m|حبیب|Habib
m|سعید|Saeed,Said,Saied,Saeid,Sa'id
m|حمید|Hamid,Hameed
m|مجید|Majid,Majeed
m|وحید|Vahid,Wahid
m|امیر|Amir,Ameer
m|بهروز|Behrouz,Behrooz,Behruz
m|بهزاد|Behzad
m|فرهاد|Farhad
m|فریدون|Fereydoun,Fereidoun,Fereydoon,Faridoun
m|منوچهر|Manouchehr,Manuchehr,Manoochehr
m|جمشید|Jamshid,Djamshid
m|کوروش|Kourosh,Kurosh,Koorosh
m|داریوش|Dariush,Daryoush,Dariyoush,Daryush
m|کیومرث|Kiumars,Kiyoumars,Kioumars
m|سیاوش|Siavash,Siyavash,Siavosh
m|بیژن|Bijan,Bizhan
m|هوشنگ|Houshang,Hooshang,Hushang
m|پرویز|Parviz,Parwiz
m|کامران|Kamran
m|کیوان|Keyvan,Keivan,Kayvan
m|رحیم|Rahim,Raheem
m|کریم|Karim,Kareem
m|رحمان|Rahman
m|عزیز|Aziz
m|ناصر|Naser,Nasser
m|منصور|Mansour,Mansoor,Mansur
m|مسعود|Masoud,Masood,Masud,Massoud,Mas'oud
m|محسن|Mohsen
m|جلال|Jalal
m|کمال|Kamal
m|جمال|Jamal
m|رسول|Rasoul,Rasool,Rasul
m|اسد|Asad,Assad
m|شهرام|Shahram
m|شاهرخ|Shahrokh
m|بهمن|Bahman
m|خسرو|Khosrow,Khosro,Khosrou
m|فرامرز|Faramarz
m|نادر|Nader
m|قربان|Ghorban,Qorban
m|قربانعلی|Ghorbanali,Ghorban Ali,Qorbanali
m|سهراب|Sohrab
m|رستم|Rostam,Rustam
m|ایرج|Iraj
m|امید|Omid,Omeed
m|نوید|Navid,Naveed
m|پویا|Pouya,Pooya
m|آرش|Arash
m|بابک|Babak
m|کیانوش|Kianoush,Kiyanoush
m|نیما|Nima
m|پیمان|Peyman,Payman,Peiman
m|سجاد|Sajjad,Sajad
m|میلاد|Milad
m|مهران|Mehran
m|مهرداد|Mehrdad
m|بهنام|Behnam
m|فرزاد|Farzad
m|فرشید|Farshid
m|یاسر|Yaser,Yasser
m|حمیدرضا|Hamidreza,Hamid Reza,Hamid-Reza
m|ابوالفضل|Abolfazl,Abolfazel,Abulfazl
m|ابوالقاسم|Abolghasem,Abolqasem,Abol-Ghasem
m|هدایت|Hedayat
m|کاوه|Kaveh,Kave
m|رامین|Ramin
m|شاهین|Shahin
m|افشین|Afshin
m|حمزه|Hamzeh,Hamze,Hamza
m|طاهر|Taher
m|طالب|Taleb
m|صمد|Samad
m|صفر|Safar
m|قدرت|Ghodrat,Qodrat
m|نجف|Najaf
m|ایمان|Iman
m|سینا|Sina
m|بهرام|Bahram
m|هاشم|Hashem
m|سلیمان|Soleiman,Soleyman,Solaiman
m|عثمان|Osman
m|فرج|Faraj
m|فرخ|Farrokh,Farokh
m|رحمت|Rahmat
m|صالح|Saleh
f|فاطمه|Fatemeh,Fateme,Fatima,Fatemah
f|زهرا|Zahra
f|مریم|Maryam,Mariam,Mariyam
f|معصومه|Masoumeh,Masoomeh,Massoumeh,Masumeh,Masoume
f|اعظم|Azam,A'zam
f|اشرف|Ashraf
f|شهلا|Shahla
f|پروین|Parvin,Parwin
f|منیژه|Manijeh,Manizheh
f|مهین|Mahin
f|پروانه|Parvaneh,Parvane
f|فریده|Farideh,Faride
f|فرشته|Fereshteh,Fereshte
f|زینب|Zeinab,Zeynab,Zaynab
f|سکینه|Sakineh,Sakine
f|رقیه|Roghayeh,Roqayeh,Roghieh
f|طاهره|Tahereh,Tahere
f|طیبه|Tayebeh,Tayyebeh,Tayebe
f|صدیقه|Sedigheh,Sediqeh,Sedighe
f|منصوره|Mansoureh,Mansooreh
f|محبوبه|Mahboubeh,Mahboobeh
f|نرگس|Narges
f|لیلا|Leila,Leyla,Layla
f|شیرین|Shirin
f|نسرین|Nasrin
f|مهری|Mehri
f|ملیحه|Maliheh,Malihe
f|مژگان|Mojgan,Mozhgan
f|ژاله|Zhaleh,Jaleh
f|فرح|Farah
f|فرزانه|Farzaneh,Farzane
f|سیمین|Simin
f|شکوه|Shokouh,Shokooh
f|اکرم|Akram
f|عفت|Effat,Efat
f|عصمت|Esmat
f|عشرت|Eshrat
f|ناهید|Nahid
f|مینا|Mina
f|رویا|Roya,Rouya
f|سهیلا|Soheila,Soheyla
f|شهناز|Shahnaz
f|فرنگیس|Farangis
f|منیره|Monireh,Monire
f|نجمه|Najmeh,Najme
f|هاجر|Hajar,Hajer
f|صغری|Soghra,Soqra,Sughra
f|کبری|Kobra,Kubra
f|خدیجه|Khadijeh,Khadije,Khadija
f|عاطفه|Atefeh,Atefe
f|راضیه|Razieh,Raziyeh,Raziye
f|مرضیه|Marzieh,Marziyeh,Marziye
f|هما|Homa
f|آذر|Azar
f|گلرخ|Golrokh
f|پوران|Pouran,Puran,Pooran
f|توران|Touran,Turan,Tooran
f|ایران|Iran
f|شیدا|Sheida,Sheyda
f|نازنین|Nazanin
f|ندا|Neda
f|سارا|Sara
f|نیکتا|Nikta
f|الهام|Elham
f|سمیه|Somayeh,Somaye,Somayyeh
f|نسیم|Nasim
f|سحر|Sahar
f|فریبا|Fariba
f|مهناز|Mahnaz
f|گیتی|Giti
f|ثریا|Soraya,Sorayya,Soraia
f|طلعت|Talat,Tal'at
f|شوکت|Shokat,Showkat
f|ربابه|Robabeh,Robabe
f|بتول|Batoul,Batool,Batul
f|عذرا|Azra
f|کلثوم|Kolsoum,Kolsoom,Kulsum
f|حلیمه|Halimeh,Halime
f|فخری|Fakhri
f|اختر|Akhtar
f|نصرت|Nosrat
f|فروغ|Forough,Forugh,Foroogh
f|مهشید|Mahshid
f|ترانه|Taraneh,Tarane
f|شبنم|Shabnam
f|آزاده|Azadeh,Azade
f|پریسا|Parisa
f|نگار|Negar
f|مهسا|Mahsa
f|کیمیا|Kimia,Kimiya
f|نیلوفر|Niloufar,Nilufar,Niloofar
f|گلناز|Golnaz
f|لادن|Ladan
f|ویدا|Vida
f|هستی|Hasti
f|سپیده|Sepideh,Sepide
f|یاسمن|Yasaman
f|پگاه|Pegah
f|فاطمه‌زهرا|Fatemehzahra,Fatemeh Zahra,Fatemeh-Zahra
"""

_FAMILY = """
احمدی|Ahmadi,Ahmady
محمدی|Mohammadi,Mohamadi,Muhammadi,Mohammady
حسینی|Hosseini,Hoseini,Husseini,Hosseyni,Hossaini
رضایی|Rezaei,Rezaee,Rezai,Rezaie
کریمی|Karimi,Karimy
جعفری|Jafari,Jaafari,Ja'fari,Djafari
رحیمی|Rahimi
موسوی|Mousavi,Musavi,Moosavi,Mosavi,Moussavi
هاشمی|Hashemi
قاسمی|Ghasemi,Qasemi,Ghassemi,Qassemi
صادقی|Sadeghi,Sadeqi
حیدری|Heidari,Heydari,Haidari
علیزاده|Alizadeh,Alizade,Ali-Zadeh,Ali Zadeh
حسین‌زاده|Hosseinzadeh,Hoseinzadeh,Hosseinzade
حسنی|Hassani,Hasani
نجفی|Najafi
کاظمی|Kazemi
باقری|Bagheri,Baqeri
اکبری|Akbari
ابراهیمی|Ebrahimi,Ibrahimi
امیری|Amiri
عباسی|Abbasi,Abasi
محمودی|Mahmoudi,Mahmoodi,Mahmudi
مرادی|Moradi
رستمی|Rostami
صالحی|Salehi
یوسفی|Yousefi,Yusefi,Yousofi
شریعتی|Shariati
قربانی|Ghorbani,Qorbani
عزیزی|Azizi
نظری|Nazari
سلطانی|Soltani
زارعی|Zarei,Zareei,Zareie
رحمانی|Rahmani
جمالی|Jamali
کیانی|Kiani,Kiyani
محمدزاده|Mohammadzadeh,Mohamadzadeh
طاهری|Taheri
فلاحی|Fallahi,Falahi
اسدی|Asadi
میرزایی|Mirzaei,Mirzaee,Mirzai
کرمی|Karami
رشیدی|Rashidi
رنجبر|Ranjbar
شریفی|Sharifi
خانی|Khani
حبیبی|Habibi
صفری|Safari
احمدزاده|Ahmadzadeh
بهرامی|Bahrami
شهبازی|Shahbazi
نوری|Nouri,Noori,Nuri
غفاری|Ghaffari,Ghafari,Qaffari
درویشی|Darvishi
نصیری|Nasiri
محسنی|Mohseni
سهرابی|Sohrabi
کمالی|Kamali
رحیم‌زاده|Rahimzadeh
پورمحمدی|Pourmohammadi,Pour-Mohammadi,Pour Mohammadi
میرحسینی|Mirhosseini,Mir-Hosseini,Mir Hosseini
حاجی‌زاده|Hajizadeh,Hajizade
میرزاده|Mirzadeh
تقوی|Taghavi,Taqavi
رضوی|Razavi
علوی|Alavi
نبوی|Nabavi
مهدوی|Mahdavi
طباطبایی|Tabatabaei,Tabatabai,Tabatabaee
شجاعی|Shojaei,Shojaee,Shojai
ربیعی|Rabiei,Rabiee
شفیعی|Shafiei,Shafiee
نیری|Nayyeri,Nayeri
اشراقی|Eshraghi,Eshraqi
رئیسی|Raisi,Raeisi,Raeesi
بهشتی|Beheshti
منتظری|Montazeri
خمینی|Khomeini,Khomeyni
لاجوردی|Lajevardi
گیلانی|Gilani
مقیسه|Moghiseh,Moqiseh
کریم‌پور|Karimpour,Karimpoor
علی‌پور|Alipour,Alipoor
حسن‌پور|Hassanpour,Hasanpour
قلی‌پور|Gholipour,Qolipour
پورعلی|Pourali
اسدپور|Asadpour
حسین‌پور|Hosseinpour,Hoseinpour
محمدنژاد|Mohammadnejad,Mohammadnezhad,Mohammad-Nejad
علی‌نژاد|Alinejad,Alinezhad
حسن‌نژاد|Hassannejad,Hasannejad
رضانژاد|Rezanejad,Rezanezhad
نیک‌فر|Nikfar
پاک‌فر|Pakfar
رادفر|Radfar
رضاییان|Rezaeian,Rezaian
حسینیان|Hosseinian,Hoseinian
احمدیان|Ahmadian
کریمیان|Karimian
محمدیان|Mohammadian
صادقیان|Sadeghian,Sadeqian
قاسمیان|Ghasemian,Qasemian
ابراهیمیان|Ebrahimian
مرادیان|Moradian
موسویان|Mousavian,Musavian
رحیمیان|Rahimian
میرمحمدی|Mirmohammadi,Mir-Mohammadi
میرباقری|Mirbagheri
میرجعفری|Mirjafari
اکبرزاده|Akbarzadeh
قلی‌زاده|Gholizadeh,Qolizadeh
تقی‌زاده|Taghizadeh,Taqizadeh
نقی‌زاده|Naghizadeh,Naqizadeh
حسن‌زاده|Hassanzadeh,Hasanzadeh
رسولی|Rasouli,Rasooli,Rasuli
جلالی|Jalali
فتحی|Fathi
زمانی|Zamani
خسروی|Khosravi
بابایی|Babaei,Babaee,Babai
دهقان|Dehghan,Dehqan
دهقانی|Dehghani,Dehqani
کشاورز|Keshavarz
نجار|Najjar,Najar
آهنگر|Ahangar
صباغ|Sabbagh,Sabagh
عطار|Attar
تهرانی|Tehrani
شیرازی|Shirazi
اصفهانی|Esfahani,Isfahani
تبریزی|Tabrizi
کرمانی|Kermani
رشتی|Rashti
مشهدی|Mashhadi
قزوینی|Ghazvini,Qazvini
همدانی|Hamedani,Hamadani
کرمانشاهی|Kermanshahi
یزدی|Yazdi
خراسانی|Khorasani
لاهیجی|Lahiji
آذری|Azari
ترکمن|Torkaman
بلوچ|Baluch,Balouch
بلوچی|Baluchi,Balouchi
کردی|Kordi,Kurdi
عرب|Arab
عربی|Arabi
ملکی|Maleki
امینی|Amini
منصوری|Mansouri,Mansoori,Mansuri
مسعودی|Masoudi,Masoodi
سعیدی|Saeedi,Saidi,Saeidi
حمیدی|Hamidi
مجیدی|Majidi
وحیدی|Vahidi
فرهادی|Farhadi
بهزادی|Behzadi
جمشیدی|Jamshidi
فریدونی|Fereydouni,Fereidouni
رحمتی|Rahmati
نعمتی|Nemati,Ne'mati
عزتی|Ezzati,Ezati
شکری|Shokri
نیک‌خواه|Nikkhah
دادخواه|Dadkhah
پاکزاد|Pakzad
آزاد|Azad
آزادی|Azadi
امیدی|Omidi
نوروزی|Norouzi,Nowrouzi,Nourouzi,Nowruzi
پهلوان|Pahlavan
دلاوری|Delavari
سپهری|Sepehri
زرگر|Zargar
کاشانی|Kashani
بیگی|Beigi,Beygi
بیگلری|Biglari
خلیلی|Khalili
جلیلی|Jalili
شیخی|Sheikhi,Sheykhi
ملایی|Mollaei,Mollai
آقایی|Aghaei,Aghaee,Aghai,Aqaei
ذاکری|Zakeri
ناصری|Naseri,Nasseri
قنبری|Ghanbari,Qanbari
اصغری|Asghari
یزدانی|Yazdani
معصومی|Masoumi,Masoomi
فاضلی|Fazeli
فرجی|Faraji
صفایی|Safaei,Safaee
وفایی|Vafaei,Vafaee
زندی|Zandi
کیانپور|Kianpour
اسکندری|Eskandari,Iskandari
سلیمانی|Soleimani,Soleymani,Solaimani
عثمانی|Osmani
قادری|Ghaderi,Qaderi
مولوی|Mowlavi,Molavi
سبحانی|Sobhani
پناهی|Panahi
شاه‌حسینی|Shahhosseini,Shah-Hosseini
عبدی|Abdi
عبداللهی|Abdollahi,Abdolahi,Abdullahi
نصراللهی|Nasrollahi
شمس|Shams
شمسی|Shamsi
یگانه|Yeganeh,Yegane
صمدی|Samadi
صبوری|Sabouri,Saboori
صدری|Sadri
شکوهی|Shokouhi,Shokoohi
سجادی|Sajjadi,Sajadi
حجازی|Hejazi
حقیقی|Haghighi,Haqiqi
توکلی|Tavakoli,Tavakkoli
مختاری|Mokhtari
مظاهری|Mazaheri
اسلامی|Eslami,Islami
امامی|Emami
خلخالی|Khalkhali
افشار|Afshar
افشاری|Afshari
قشقایی|Ghashghaei,Qashqai
بختیاری|Bakhtiari,Bakhtiyari
زنگنه|Zanganeh
کلهر|Kalhor
بیرانوند|Biranvand,Beiranvand
سپهوند|Sepahvand
امیدوار|Omidvar
نیک‌بخت|Nikbakht
خوشنود|Khoshnoud,Khoshnood
پاکدامن|Pakdaman
کامرانی|Kamrani
گودرزی|Goudarzi,Goodarzi
طالقانی|Taleghani,Taleqani
مرعشی|Marashi,Mar'ashi
نراقی|Naraghi,Naraqi
حکیمی|Hakimi
لطفی|Lotfi
عسگری|Asgari
رجبی|Rajabi
شعبانی|Shabani,Sha'bani
رمضانی|Ramezani,Ramazani
بهبهانی|Behbahani
دزفولی|Dezfouli,Dezfuli
اهوازی|Ahvazi
سنندجی|Sanandaji
مهابادی|Mahabadi
"""

# Honorifics that are part of how a person is named in the lists, but not of who they
# are: Seyed/Sadat (descendant of the Prophet), Haj (pilgrim), Mirza, Molla, Sheikh.
# (Mir is not one here: in these lists it is part of a family name, Mir Hosseini.)
_TITLES = """
m|سید|Seyed,Seyyed,Sayed,Sayyed,Sayyid
f|سادات|Sadat
m|حاج|Haj,Hajj,Hadj
m|میرزا|Mirza
m|ملا|Molla,Mulla,Mullah
m|شیخ|Sheikh,Sheykh,Shaikh
"""

# Bound parts of compound family names. They never make a name on their own, but a
# joined name like "Pourmohammadi" can be split at them.
_AFFIXES = """
پور|Pour,Poor,Pur
زاده|Zadeh,Zade
نژاد|Nejad,Nezhad
فر|Far
الله|Allah,Ollah,Olah
میر|Mir
"""


@dataclass(frozen=True)
class Entry:
    """One name: ``id`` is stable ("given:mohammad"), ``latin[0]`` the commonest spelling."""

    id: str
    kind: str  # "given", "family", "title" or "affix"
    gender: str  # "m", "f" or "" (family names, affixes)
    fa: str
    latin: tuple[str, ...]
    rank: int  # position in its section; 0 is the most common


def _parse(block: str, kind: str, with_gender: bool) -> tuple[Entry, ...]:
    out = []
    seen = set()
    for line in block.strip().splitlines():
        fields = line.split("|")
        gender = fields.pop(0) if with_gender else ""
        fa, latin = fields
        variants = tuple(dict.fromkeys(v.strip() for v in latin.split(",") if v.strip()))
        ident = f"{kind}:{variants[0].lower().replace(' ', '').replace('-', '')}"
        if ident in seen:  # two names that share a first spelling stay apart
            ident = f"{ident}.{gender or len(out)}"
        seen.add(ident)
        out.append(Entry(ident, kind, gender, fa, variants, len(out)))
    return tuple(out)


GIVEN_NAMES: tuple[Entry, ...] = _parse(_GIVEN, "given", True)
FAMILY_NAMES: tuple[Entry, ...] = _parse(_FAMILY, "family", False)
TITLES: tuple[Entry, ...] = _parse(_TITLES, "title", True)
AFFIXES: tuple[Entry, ...] = _parse(_AFFIXES, "affix", False)
ALL_ENTRIES: tuple[Entry, ...] = GIVEN_NAMES + FAMILY_NAMES + TITLES + AFFIXES
BY_ID: dict[str, Entry] = {e.id: e for e in ALL_ENTRIES}

# Real Iranian prisons named in the 1988 and 2019 records: (Latin, Persian).
PRISONS: tuple[tuple[str, str], ...] = (
    ("Evin", "اوین"),
    ("Gohardasht", "گوهردشت"),
    ("Qezel Hesar", "قزل‌حصار"),
    ("Vakilabad", "وکیل‌آباد"),
    ("Dizel Abad", "دیزل‌آباد"),
    ("Adelabad", "عادل‌آباد"),
    ("Lakan", "لاکان"),
    ("Tabriz Central Prison", "زندان مرکزی تبریز"),
    ("Orumieh Central Prison", "زندان مرکزی ارومیه"),
    ("Dastgerd", "دستگرد"),
    ("Karun", "کارون"),
    ("Sepidar", "سپیدار"),
    ("Komiteh Moshtarak", "کمیته مشترک"),
    ("Hamedan Prison", "زندان همدان"),
    ("Sanandaj Prison", "زندان سنندج"),
    ("Zanjan Prison", "زندان زنجان"),
    ("Parsilon", "پارسیلون"),
    ("Semnan Prison", "زندان سمنان"),
    ("Fashafouyeh", "فشافویه"),
)


def _latin_form(text: str) -> str:

    return normalize_latin(text).replace(" ", "")


def _persian_form(text: str) -> str:

    return normalize_persian(text).replace(" ", "")


@lru_cache(maxsize=1)
def spelling_index() -> dict[str, tuple[Entry, ...]]:
    """Every normalised spelling (Latin or Persian, spaces removed) to the entries it spells.

    Most spellings name one entry; a few are shared (Shahin is a given name and a
    family-name root), hence tuples.
    """
    index: dict[str, list[Entry]] = {}
    for entry in ALL_ENTRIES:
        forms = {_persian_form(entry.fa)} | {_latin_form(v) for v in entry.latin}
        for form in forms:
            if form:
                index.setdefault(form, []).append(entry)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def compound_parts() -> tuple[frozenset[str], frozenset[str]]:
    """Normalised Latin and Persian spellings that may appear inside a joined compound."""
    latin, persian = set(), set()
    for entry in ALL_ENTRIES:
        persian.add(_persian_form(entry.fa))
        latin.update(_latin_form(v) for v in entry.latin)
    return frozenset(x for x in latin if len(x) > 1), frozenset(x for x in persian if len(x) > 1)


def parse_name(name: str, kinds: tuple[str, ...] = ("title", "given", "family")) -> list[Entry]:
    """Read a name made of lexicon names back into entries, in either script.

    With the default ``kinds`` the name must read as [title] given [title] family
    ("Seyed Mohammad Reza Karimi", "Fatemeh Sadat Mousavi", "علی کریمی"); with
    ``kinds=("given",)`` as one given name (a father's name). Compounds may be joined,
    spaced or hyphenated: "Mohammad Reza" and "Mohammadreza" are the same entry. Every
    segmentation is tried, so "Mohammad Ali Zadeh" is Mohammad + Alizadeh. Returns []
    when the name cannot be read that way: a half-read name would give wrong namesakes.
    """

    tokens = normalize_latin(normalize_persian(name)).split()
    index = spelling_index()
    if kinds == ("given",):
        found = [e for e in index.get("".join(tokens), ()) if e.kind == "given"]
        return found[:1]
    # states: 0 before the given name, 1 after it, 2 after the family name
    allowed = {0: ("title", "given"), 1: ("title", "family"), 2: ()}
    advance = {"given": 1, "family": 2}

    def walk(i: int, state: int) -> list[Entry] | None:
        if i == len(tokens):
            return [] if state == 2 else None
        for width in (3, 2, 1):
            if i + width > len(tokens):
                continue
            for entry in index.get("".join(tokens[i : i + width]), ()):
                if entry.kind not in allowed[state] or entry.kind not in kinds:
                    continue
                rest = walk(i + width, advance.get(entry.kind, state))
                if rest is not None:
                    return [entry, *rest]
        return None

    return walk(0, 0) or []
