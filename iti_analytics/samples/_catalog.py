"""Reference data of the synthetic world: places, makes, models, parties, names.

Plain tables (tuples turned into DataFrames once), not logic. Coordinates are
approximate centroids of first-level administrative areas; border posts and
localities are real places so maps look right. Armed groups, gangs, dealers and
persons are invented: their names are built from the word lists at the end.
"""

from __future__ import annotations

from functools import cache

import pandas as pd


def _rows(text: str, types: tuple) -> list[tuple]:
    """Comma-separated rows (one per line) cast column by column.

    Missing trailing cells are zero (the kind weights of :data:`LINES`).
    """
    out = []
    for line in text.strip().splitlines():
        cells = line.split(",")
        cells += ["0"] * (len(types) - len(cells))
        out.append(tuple(t(v) for t, v in zip(types, cells, strict=True)))
    return out


# --------------------------------------------------------------------------- countries

#: iso3, English name, French name, role ("region": seizures happen there;
#: "neighbour": diversion and transit only), crime weight, population weight.
COUNTRIES = [
    ("MLI", "Mali", "Mali", "region", 1.0, 1.0),
    ("BFA", "Burkina Faso", "Burkina Faso", "region", 1.0, 1.0),
    ("NER", "Niger", "Niger", "region", 0.8, 1.0),
    ("TCD", "Chad", "Tchad", "region", 0.7, 0.8),
    ("NGA", "Nigeria", "Nigéria", "region", 3.0, 4.0),
    ("CMR", "Cameroon", "Cameroun", "region", 1.2, 1.2),
    ("CAF", "Central African Republic", "RCA", "region", 0.5, 0.5),
    ("CIV", "Côte d'Ivoire", "Côte d'Ivoire", "region", 1.5, 1.2),
    ("GHA", "Ghana", "Ghana", "region", 2.0, 1.3),
    ("SEN", "Senegal", "Sénégal", "region", 1.0, 0.8),
    ("GIN", "Guinea", "Guinée", "region", 0.8, 0.7),
    ("BEN", "Benin", "Bénin", "region", 0.8, 0.6),
    ("TGO", "Togo", "Togo", "region", 0.6, 0.5),
    ("MRT", "Mauritania", "Mauritanie", "region", 0.3, 0.3),
    ("LBY", "Libya", "Libye", "region", 0.8, 0.6),
    ("SDN", "Sudan", "Soudan", "neighbour", 0.0, 0.0),
    ("DZA", "Algeria", "Algérie", "neighbour", 0.0, 0.0),
    ("LBR", "Liberia", "Libéria", "neighbour", 0.0, 0.0),
    ("SLE", "Sierra Leone", "Sierra Leone", "neighbour", 0.0, 0.0),
    ("GNB", "Guinea-Bissau", "Guinée-Bissau", "neighbour", 0.0, 0.0),
]

#: land borders used for routes (undirected).
BORDERS = [
    ("MRT", "SEN"),
    ("MRT", "MLI"),
    ("MRT", "DZA"),
    ("SEN", "MLI"),
    ("SEN", "GIN"),
    ("SEN", "GNB"),
    ("GIN", "GNB"),
    ("GIN", "MLI"),
    ("GIN", "CIV"),
    ("GIN", "LBR"),
    ("GIN", "SLE"),
    ("SLE", "LBR"),
    ("LBR", "CIV"),
    ("CIV", "MLI"),
    ("CIV", "BFA"),
    ("CIV", "GHA"),
    ("GHA", "BFA"),
    ("GHA", "TGO"),
    ("TGO", "BFA"),
    ("TGO", "BEN"),
    ("BEN", "BFA"),
    ("BEN", "NER"),
    ("BEN", "NGA"),
    ("BFA", "MLI"),
    ("BFA", "NER"),
    ("MLI", "NER"),
    ("MLI", "DZA"),
    ("NER", "NGA"),
    ("NER", "TCD"),
    ("NER", "LBY"),
    ("NER", "DZA"),
    ("NGA", "TCD"),
    ("NGA", "CMR"),
    ("TCD", "CMR"),
    ("TCD", "CAF"),
    ("TCD", "SDN"),
    ("TCD", "LBY"),
    ("CMR", "CAF"),
    ("CAF", "SDN"),
    ("LBY", "SDN"),
    ("LBY", "DZA"),
]

#: iso3, admin1 (French spelling), admin1 (English spelling), lat, lon,
#: conflict zone ("" if none), urban crime weight, localities ("|"-separated).
ADMIN1 = _rows(
    """
MLI,Gao,Gao,16.27,-0.04,sahel,0.20,Gao|Ansongo|Bourem
MLI,Tombouctou,Timbuktu,16.77,-3.00,sahel,0.10,Tombouctou|Goundam|Léré
MLI,Kidal,Kidal,18.44,1.41,sahel,0.00,Kidal|Tessalit|Aguelhok
MLI,Mopti,Mopti,14.49,-4.18,sahel,0.30,Mopti|Djenné|Bandiagara|Douentza
MLI,Ségou,Segou,13.43,-6.26,sahel,0.30,Ségou|Niono|Macina
MLI,Ménaka,Menaka,15.92,2.40,sahel,0.00,Ménaka|Anderamboukane
MLI,Bamako,Bamako,12.64,-8.00,,2.00,Bamako
MLI,Sikasso,Sikasso,11.32,-5.67,,0.60,Sikasso|Koutiala
MLI,Kayes,Kayes,14.45,-11.44,,0.40,Kayes|Nioro du Sahel
MLI,Koulikoro,Koulikoro,12.86,-7.56,,0.60,Koulikoro|Kati|Kangaba
BFA,Sahel,Sahel,14.03,-0.03,sahel,0.10,Dori|Djibo|Gorom-Gorom|Arbinda
BFA,Nord,North,13.58,-2.42,sahel,0.30,Ouahigouya|Titao
BFA,Est,East,12.06,0.36,sahel,0.20,Fada N'Gourma|Diapaga|Kantchari
BFA,Centre-Nord,Centre-North,13.09,-1.08,sahel,0.20,Kaya|Kongoussi
BFA,Boucle du Mouhoun,Boucle du Mouhoun,12.46,-3.46,sahel,0.20,Dédougou|Nouna
BFA,Centre,Centre,12.37,-1.53,,2.00,Ouagadougou
BFA,Hauts-Bassins,Hauts-Bassins,11.18,-4.29,,1.00,Bobo-Dioulasso|Orodara
BFA,Cascades,Cascades,10.63,-4.76,,0.40,Banfora|Niangoloko
BFA,Centre-Est,Centre-East,11.78,-0.37,,0.40,Tenkodogo|Bittou
BFA,Centre-Sud,Centre-South,11.17,-1.06,,0.30,Pô|Manga
NER,Tillabéri,Tillaberi,14.21,1.45,sahel,0.20,Tillabéri|Ouallam|Ayorou|Téra
NER,Tahoua,Tahoua,14.89,5.27,sahel,0.30,Tahoua|Tillia
NER,Diffa,Diffa,13.32,12.61,lake_chad,0.20,Diffa|Bosso|N'Guigmi
NER,Agadez,Agadez,16.97,7.99,fezzan,0.40,Agadez|Arlit|Dirkou
NER,Niamey,Niamey,13.51,2.11,,2.00,Niamey
NER,Maradi,Maradi,13.50,7.10,northwest,0.50,Maradi|Madarounfa
NER,Zinder,Zinder,13.80,8.99,,0.50,Zinder|Magaria
NER,Dosso,Dosso,13.05,3.19,,0.50,Dosso|Gaya
TCD,Lac,Lac,13.50,14.70,lake_chad,0.10,Bol|Baga Sola
TCD,Tibesti,Tibesti,21.00,17.00,fezzan,0.00,Bardaï|Zouar|Miski
TCD,Ouaddaï,Ouaddai,13.83,20.83,,0.40,Abéché|Adré
TCD,Borkou,Borkou,17.92,19.12,fezzan,0.10,Faya-Largeau
TCD,N'Djamena,N'Djamena,12.11,15.04,,2.00,N'Djamena
TCD,Salamat,Salamat,10.98,20.28,car,0.10,Am Timan|Haraze
TCD,Logone Occidental,Logone Occidental,8.57,16.08,,0.50,Moundou
TCD,Moyen-Chari,Moyen-Chari,9.15,18.39,car,0.30,Sarh|Maro
NGA,Borno,Borno,11.85,13.16,lake_chad,0.50,Maiduguri|Bama|Gwoza|Monguno
NGA,Yobe,Yobe,11.75,11.97,lake_chad,0.30,Damaturu|Potiskum|Geidam
NGA,Adamawa,Adamawa,9.20,12.48,lake_chad,0.40,Yola|Mubi|Madagali
NGA,Zamfara,Zamfara,12.17,6.66,northwest,0.30,Gusau|Anka|Tsafe
NGA,Katsina,Katsina,12.99,7.60,northwest,0.50,Katsina|Jibia|Batsari
NGA,Kaduna,Kaduna,10.52,7.44,northwest,1.00,Kaduna|Birnin Gwari|Zaria
NGA,Plateau,Plateau,9.90,8.90,northwest,0.60,Jos|Bokkos
NGA,Lagos,Lagos,6.45,3.40,,4.00,Lagos|Ikorodu|Badagry
NGA,Rivers,Rivers,4.82,7.03,,2.50,Port Harcourt|Bonny
NGA,Kano,Kano,12.00,8.52,,2.00,Kano
NGA,Anambra,Anambra,6.21,7.07,,1.50,Awka|Onitsha|Nnewi
NGA,Ogun,Ogun,7.00,3.35,,1.00,Abeokuta|Idiroko
NGA,Sokoto,Sokoto,13.06,5.24,northwest,0.60,Sokoto|Illela
NGA,Cross River,Cross River,4.95,8.32,,1.00,Calabar|Ikom
CMR,Extrême-Nord,Far North,10.59,14.32,lake_chad,0.30,Maroua|Mora|Kolofata|Kousseri
CMR,Nord-Ouest,North-West,5.96,10.15,ambazonia,0.40,Bamenda|Ndop|Kumbo
CMR,Sud-Ouest,South-West,4.16,9.24,ambazonia,0.40,Buea|Kumba|Mamfe
CMR,Littoral,Littoral,4.05,9.70,,3.00,Douala
CMR,Centre,Centre,3.87,11.52,,2.00,Yaoundé
CMR,Est,East,4.58,13.68,car,0.30,Bertoua|Garoua-Boulaï
CAF,Bangui,Bangui,4.39,18.56,car,1.50,Bangui
CAF,Ouham,Ouham,6.47,17.47,car,0.10,Bossangoa|Batangafo
CAF,Ouham-Pendé,Ouham-Pende,7.26,16.43,car,0.10,Bozoum|Paoua
CAF,Haute-Kotto,Haute-Kotto,6.53,21.99,car,0.10,Bria
CAF,Vakaga,Vakaga,10.29,22.79,car,0.00,Birao
CAF,Ouaka,Ouaka,5.76,20.67,car,0.10,Bambari|Ippy
CAF,Nana-Mambéré,Nana-Mambere,5.93,15.60,car,0.10,Bouar|Baboua
CIV,Abidjan,Abidjan,5.35,-4.00,,4.00,Abidjan|Yopougon|Abobo
CIV,Gbêkê,Gbeke,7.69,-5.03,,1.00,Bouaké
CIV,Poro,Poro,9.46,-5.63,,0.50,Korhogo
CIV,Tonkpi,Tonkpi,7.41,-7.55,,0.50,Man|Danané
CIV,Bounkani,Bounkani,9.27,-3.00,sahel,0.20,Bouna|Doropo
CIV,San-Pédro,San-Pedro,4.75,-6.64,,0.80,San-Pédro
CIV,Sud-Comoé,Sud-Comoe,5.47,-3.20,,0.50,Aboisso|Noé
CIV,Tchologo,Tchologo,9.97,-5.15,,0.30,Ferkessédougou|Ouangolodougou
CIV,Cavally,Cavally,6.55,-7.49,,0.30,Guiglo|Toulepleu
GHA,Greater Accra,Greater Accra,5.60,-0.19,,4.00,Accra|Tema|Madina
GHA,Ashanti,Ashanti,6.69,-1.62,,3.00,Kumasi|Obuasi|Ejisu
GHA,Northern,Northern,9.40,-0.84,,0.80,Tamale|Yendi
GHA,Upper East,Upper East,10.79,-0.85,,0.40,Bolgatanga|Bawku|Paga
GHA,Volta,Volta,6.60,0.47,,0.60,Ho|Aflao
GHA,Western,Western,4.93,-1.76,,1.00,Sekondi-Takoradi|Tarkwa
GHA,Upper West,Upper West,10.06,-2.50,,0.30,Wa|Hamile
SEN,Dakar,Dakar,14.69,-17.45,,4.00,Dakar|Pikine|Rufisque
SEN,Ziguinchor,Ziguinchor,12.56,-16.27,casamance,0.30,Ziguinchor|Bignona
SEN,Kédougou,Kedougou,12.56,-12.17,,0.30,Kédougou|Saraya
SEN,Tambacounda,Tambacounda,13.77,-13.67,,0.40,Tambacounda|Kidira
SEN,Thiès,Thies,14.79,-16.93,,1.00,Thiès|Mbour
SEN,Saint-Louis,Saint-Louis,16.02,-16.49,,0.50,Saint-Louis|Rosso
GIN,Conakry,Conakry,9.54,-13.68,,4.00,Conakry|Matoto|Ratoma
GIN,Kankan,Kankan,10.38,-9.31,,0.60,Kankan|Siguiri
GIN,N'Zérékoré,Nzerekore,7.76,-8.82,,0.60,N'Zérékoré|Lola
GIN,Boké,Boke,10.94,-14.29,,0.40,Boké|Kamsar
GIN,Labé,Labe,11.32,-12.29,,0.30,Labé
GIN,Kindia,Kindia,10.06,-12.86,,0.60,Kindia|Forécariah
BEN,Littoral,Littoral,6.37,2.39,,4.00,Cotonou
BEN,Alibori,Alibori,11.13,2.94,sahel,0.20,Kandi|Malanville|Karimama
BEN,Atacora,Atacora,10.62,1.27,sahel,0.20,Tanguiéta|Natitingou|Matéri
BEN,Ouémé,Oueme,6.50,2.60,,1.20,Porto-Novo|Sèmè-Podji
BEN,Borgou,Borgou,9.34,2.63,,0.80,Parakou|Nikki
BEN,Mono,Mono,6.45,1.80,,0.50,Lokossa|Grand-Popo
TGO,Maritime,Maritime,6.13,1.22,,4.00,Lomé|Aného
TGO,Savanes,Savanes,10.86,0.20,sahel,0.30,Dapaong|Mandouri|Cinkassé
TGO,Kara,Kara,9.55,1.19,,0.50,Kara|Bassar
TGO,Centrale,Centrale,8.98,1.14,,0.50,Sokodé
MRT,Nouakchott,Nouakchott,18.08,-15.98,,3.00,Nouakchott
MRT,Hodh Ech Chargui,Hodh Ech Chargui,16.62,-7.26,,0.30,Néma|Bassikounou|Fassala
MRT,Trarza,Trarza,16.51,-15.80,,0.40,Rosso
MRT,Tiris Zemmour,Tiris Zemmour,22.73,-12.47,,0.20,Zouérat|Bir Moghreïn
LBY,Sebha,Sabha,27.03,14.43,fezzan,0.60,Sebha|Brak
LBY,Mourzouk,Murzuq,25.92,13.92,fezzan,0.20,Mourzouk|Oum al-Aranib
LBY,Oubari,Ubari,26.59,12.78,fezzan,0.20,Oubari|Ghat
LBY,Koufra,Kufra,24.18,23.29,fezzan,0.20,Koufra
LBY,Tripoli,Tripoli,32.89,13.19,,2.00,Tripoli
LBY,Misrata,Misrata,32.38,15.09,,0.80,Misrata
""",
    (str, str, str, float, float, str, float, str),
)

#: border posts (customs): iso3, post, neighbour iso3, admin1 (French spelling).
BORDER_POSTS = [
    ("MLI", "Kouremalé", "GIN", "Koulikoro"),
    ("MLI", "Diboli", "SEN", "Kayes"),
    ("MLI", "Koury", "BFA", "Sikasso"),
    ("MLI", "Zégoua", "CIV", "Sikasso"),
    ("MLI", "Labbezanga", "NER", "Gao"),
    ("MLI", "Gogui", "MRT", "Kayes"),
    ("BFA", "Niangoloko", "CIV", "Cascades"),
    ("BFA", "Dakola", "GHA", "Centre-Sud"),
    ("BFA", "Kantchari", "NER", "Est"),
    ("BFA", "Cinkansé", "TGO", "Centre-Est"),
    ("BFA", "Faramana", "MLI", "Hauts-Bassins"),
    ("BFA", "Seytenga", "NER", "Sahel"),
    ("NER", "Gaya", "BEN", "Dosso"),
    ("NER", "Assamaka", "DZA", "Agadez"),
    ("NER", "Makalondi", "BFA", "Tillabéri"),
    ("NER", "Magaria", "NGA", "Zinder"),
    ("NER", "Madama", "LBY", "Agadez"),
    ("NER", "N'Guigmi", "TCD", "Diffa"),
    ("TCD", "Ngueli", "CMR", "N'Djamena"),
    ("TCD", "Adré", "SDN", "Ouaddaï"),
    ("TCD", "Sido", "CAF", "Moyen-Chari"),
    ("TCD", "Wour", "LBY", "Tibesti"),
    ("NGA", "Seme", "BEN", "Lagos"),
    ("NGA", "Idiroko", "BEN", "Ogun"),
    ("NGA", "Jibia", "NER", "Katsina"),
    ("NGA", "Illela", "NER", "Sokoto"),
    ("NGA", "Banki", "CMR", "Borno"),
    ("NGA", "Mfum", "CMR", "Cross River"),
    ("CMR", "Kousseri", "TCD", "Extrême-Nord"),
    ("CMR", "Garoua-Boulaï", "CAF", "Est"),
    ("CMR", "Ekok", "NGA", "Sud-Ouest"),
    ("CMR", "Kentzou", "CAF", "Est"),
    ("CMR", "Amchidé", "NGA", "Extrême-Nord"),
    ("CAF", "Beloko", "CMR", "Nana-Mambéré"),
    ("CAF", "Sido", "TCD", "Ouham"),
    ("CAF", "Am Dafok", "SDN", "Vakaga"),
    ("CIV", "Noé", "GHA", "Sud-Comoé"),
    ("CIV", "Pogo", "MLI", "Poro"),
    ("CIV", "Ouangolodougou", "BFA", "Tchologo"),
    ("CIV", "Toulepleu", "LBR", "Cavally"),
    ("GHA", "Elubo", "CIV", "Western"),
    ("GHA", "Aflao", "TGO", "Volta"),
    ("GHA", "Paga", "BFA", "Upper East"),
    ("GHA", "Hamile", "BFA", "Upper West"),
    ("SEN", "Rosso", "MRT", "Saint-Louis"),
    ("SEN", "Kidira", "MLI", "Tambacounda"),
    ("SEN", "Mpack", "GNB", "Ziguinchor"),
    ("GIN", "Pamelap", "SLE", "Kindia"),
    ("GIN", "Kouremalé", "MLI", "Kankan"),
    ("GIN", "Diéké", "LBR", "N'Zérékoré"),
    ("BEN", "Sèmè-Kraké", "NGA", "Ouémé"),
    ("BEN", "Hillacondji", "TGO", "Mono"),
    ("BEN", "Malanville", "NER", "Alibori"),
    ("BEN", "Porga", "BFA", "Atacora"),
    ("TGO", "Kodjoviakopé", "GHA", "Maritime"),
    ("TGO", "Sanvee Condji", "BEN", "Maritime"),
    ("TGO", "Cinkassé", "BFA", "Savanes"),
    ("MRT", "Rosso", "SEN", "Trarza"),
    ("MRT", "Gogui", "MLI", "Hodh Ech Chargui"),
    ("MRT", "Fassala", "MLI", "Hodh Ech Chargui"),
    ("LBY", "Tummo", "NER", "Mourzouk"),
    ("LBY", "Tin Alkoum", "DZA", "Oubari"),
    ("LBY", "Koufra", "SDN", "Koufra"),
]

#: conflict zones where armed groups operate: zone, weight, English label.
CONFLICT_ZONES = [
    ("sahel", 4.0, "Central Sahel"),
    ("lake_chad", 3.0, "Lake Chad basin"),
    ("northwest", 2.0, "North-west Nigeria"),
    ("car", 2.5, "Central African Republic"),
    ("fezzan", 1.5, "Southern Libya"),
    ("ambazonia", 1.0, "Anglophone Cameroon"),
    ("casamance", 0.3, "Casamance"),
]

#: trafficking corridors (countries in order along the route) and weights.
CORRIDORS = [
    (("LBY", "NER", "MLI"), 2.0),
    (("LBY", "NER", "NGA"), 1.5),
    (("SDN", "TCD", "CAF"), 1.5),
    (("LBY", "TCD", "NER"), 1.0),
    (("CIV", "BFA", "MLI"), 1.0),
    (("GHA", "TGO", "BEN", "NGA"), 1.2),
    (("NGA", "CMR", "TCD"), 1.0),
    (("GIN", "MLI", "BFA"), 0.7),
    (("MRT", "MLI", "NER"), 0.6),
    (("BEN", "NER", "NGA"), 0.8),
    (("SEN", "MLI", "BFA"), 0.5),
    (("CAF", "CMR", "NGA"), 0.6),
    (("GHA", "BFA", "NER"), 0.7),
]

#: the regular forces that hold state stockpiles: iso3, forces (several, "|").
FORCES = {
    "MLI": "Forces armées maliennes|Garde nationale du Mali|Police nationale du Mali",
    "BFA": "Forces armées burkinabè|Gendarmerie nationale du Burkina Faso",
    "NER": "Forces armées nigériennes|Garde nationale du Niger",
    "TCD": "Armée nationale tchadienne|Garde nationale et nomade du Tchad",
    "NGA": "Nigerian Army|Nigeria Police Force|Nigerian Navy",
    "CMR": "Forces de défense du Cameroun|Gendarmerie nationale du Cameroun",
    "CAF": "Forces armées centrafricaines|Gendarmerie centrafricaine",
    "CIV": "Forces armées de Côte d'Ivoire|Police nationale de Côte d'Ivoire",
    "GHA": "Ghana Armed Forces|Ghana Police Service",
    "SEN": "Forces armées sénégalaises|Gendarmerie nationale du Sénégal",
    "GIN": "Armée guinéenne|Gendarmerie nationale de Guinée",
    "BEN": "Forces armées béninoises|Police républicaine du Bénin",
    "TGO": "Forces armées togolaises",
    "MRT": "Armée nationale mauritanienne",
    "LBY": "Libyan armed forces (former Jamahiriya)|Libyan Ministry of Interior",
    "SDN": "Sudanese Armed Forces|Sudanese Central Reserve Police",
    "DZA": "Armée nationale populaire (Algérie)",
    "LBR": "Armed Forces of Liberia|Liberia National Police",
    "SLE": "Republic of Sierra Leone Armed Forces",
    "GNB": "Forces armées de Guinée-Bissau",
}

#: stockpile / historic stock site words: French, English.
DEPOT_WORDS = ("dépôt", "depot")

#: looting or capture years of historic stocks, by country (a point picks one).
LOOTING_YEARS = {
    "LBY": (2011, 2011, 2014, 2019),
    "MLI": (2012, 2012, 2019, 2021),
    "CIV": (2011, 2011),
    "CAF": (2013, 2013, 2014),
    "NGA": (2014, 2015, 2018, 2019),
    "BFA": (2019, 2021, 2022),
    "NER": (2019, 2020),
    "TCD": (2008, 2019, 2021),
    "SDN": (2019, 2023),
    "CMR": (2018, 2020),
    "GIN": (2009,),
    "LBR": (2003,),
    "SLE": (2000,),
}

# --------------------------------------------------------------------------- makes

#: canonical make, country of the maker today (what a reader infers from the
#: make), spellings seen in records (first = canonical; a typo last if any).
MAKES = [
    ("Norinco", "CHN", "Norinco|NORINCO|China North Industries|~Norinko"),
    ("Tula Arms Plant", "RUS", "Tula Arms Plant|Tula|TOZ"),
    (
        "Kalashnikov Concern",
        "RUS",
        "Kalashnikov Concern|Izhmash|Izhevsk|Kalashnikov|~Kalachnikov",
    ),
    ("Degtyarev Plant", "RUS", "Degtyarev Plant|Degtyarev|Kovrov"),
    ("Bazalt", "RUS", "Bazalt|BAZALT"),
    ("Baikal", "RUS", "Baikal|BAIKAL|Baïkal|~Baykal"),
    ("Zastava Arms", "SRB", "Zastava Arms|Zastava|ZASTAVA|~Zastawa"),
    ("Arsenal", "BGR", "Arsenal|Arsenal JSCo|ARSENAL|~Arsenale"),
    ("Cugir", "ROU", "Cugir|Uzina Mecanica Cugir|RATMIL"),
    ("Česká zbrojovka", "CZE", "Česká zbrojovka|Ceska Zbrojovka|CZ|CZ-UB"),
    (
        "Ernst Thälmann Werk Suhl",
        "DDR",
        "Ernst Thälmann Werk Suhl|VEB Ernst Thalmann|Ernst Thalmann",
    ),
    ("FN Herstal", "BEL", "FN Herstal|FN|Fabrique Nationale|~FN Herstall"),
    ("Heckler & Koch", "DEU", "Heckler & Koch|H&K|HK|Heckler und Koch|~Hekler & Koch"),
    ("MAS", "FRA", "MAS|Manufacture d'armes de Saint-Étienne|MAS St-Etienne"),
    ("Colt", "USA", "Colt|COLT|Colt's Manufacturing"),
    ("Smith & Wesson", "USA", "Smith & Wesson|S&W|Smith and Wesson|~Smith & Weson"),
    ("Mossberg", "USA", "Mossberg|O.F. Mossberg & Sons|~Mosberg"),
    ("Glock", "AUT", "Glock|GLOCK|Glock GmbH"),
    ("Beretta", "ITA", "Beretta|BERETTA|Pietro Beretta|~Bereta"),
    ("Taurus", "BRA", "Taurus|TAURUS|Forjas Taurus|~Tauros"),
    ("CBC", "BRA", "CBC|Companhia Brasileira de Cartuchos"),
    ("Canik", "TUR", "Canik|CANIK|Canik55|~Kanik"),
    ("Sarsilmaz", "TUR", "Sarsilmaz|SARSILMAZ|SAR Arms"),
    ("Hatsan", "TUR", "Hatsan|HATSAN|Hatsan Arms|~Hatzan"),
    ("MKEK", "TUR", "MKEK|MKE|Makina ve Kimya Endustrisi"),
    ("Atak Arms", "TUR", "Atak Arms|ATAK|Zoraki"),
    ("Ekol", "TUR", "Ekol|EKOL|Ekol Voltran"),
    ("Retay", "TUR", "Retay|RETAY"),
    ("Prvi Partizan", "SRB", "Prvi Partizan|PPU|~Prvi Partisan"),
    ("Fiocchi", "ITA", "Fiocchi|FIOCCHI|~Fiochi"),
    (
        "Military Industry Corporation",
        "SDN",
        "Military Industry Corporation|MIC|MIC Sudan",
    ),
    ("Defence Industries Organization", "IRN", "Defence Industries Organization|DIO"),
    ("Barnaul Cartridge Plant", "RUS", "Barnaul Cartridge Plant|Barnaul|JSC Barnaul"),
]

#: makers in states that no longer exist: the historic country of manufacture
#: up to the year the state changed (what a reader infers from make and year).
HISTORIC_MAKES = {
    "Kalashnikov Concern": ("SUN", 1991),
    "Tula Arms Plant": ("SUN", 1991),
    "Degtyarev Plant": ("SUN", 1991),
    "Bazalt": ("SUN", 1991),
    "Baikal": ("SUN", 1991),
    "Barnaul Cartridge Plant": ("SUN", 1991),
    "Zastava Arms": ("YUG", 1991),
    "Prvi Partizan": ("YUG", 1991),
    "Česká zbrojovka": ("CSK", 1992),
}

#: weapon product lines.
#: line, make, true country of manufacture, model, category, calibre, first and
#: last year made, serial format (letters in prefix, digits, year prefix 0/1),
#: weights per diversion kind: historic, stockpile, export, civilian.
LINES = _rows(
    """
akm_izh,Kalashnikov Concern,SUN,AKM,assault_rifle,7.62x39mm,1959,1977,2,4,0,10
akm_tula,Tula Arms Plant,SUN,AKM,assault_rifle,7.62x39mm,1959,1975,2,4,0,5
ak47_izh,Kalashnikov Concern,SUN,AK-47,assault_rifle,7.62x39mm,1949,1959,2,4,0,2
sks_tula,Tula Arms Plant,SUN,SKS,rifle,7.62x39mm,1949,1958,2,4,0,1,0,0,0.3
pkm_sun,Degtyarev Plant,SUN,PKM,machine_gun,7.62x54mmR,1969,1991,2,4,0,3
dshk,Degtyarev Plant,SUN,DShKM,heavy_machine_gun,12.7x108mm,1946,1971,2,4,0,1.5
rpg7_sun,Bazalt,SUN,RPG-7,rocket_launcher,40mm,1961,1991,2,4,0,2
pm_sun,Kalashnikov Concern,SUN,Makarov PM,pistol,9x18mm,1951,1991,2,4,0,1,0,0,0.3
t56_old,Norinco,CHN,Type 56,assault_rifle,7.62x39mm,1964,1990,0,8,0,10,2
t54_pistol,Norinco,CHN,Type 54,pistol,7.62x25mm,1956,1990,0,7,0,1,0,0,0.3
t54_hmg,Norinco,CHN,Type 54 HMG,heavy_machine_gun,12.7x108mm,1958,1990,0,6,0,1,0.5
t69,Norinco,CHN,Type 69,rocket_launcher,40mm,1970,2015,0,7,0,2,2,2
m70_yug,Zastava Arms,YUG,M70,assault_rifle,7.62x39mm,1970,1991,0,6,0,5
rpk,Kalashnikov Concern,SUN,RPK,machine_gun,7.62x39mm,1961,1978,2,4,0,1
vz58,Česká zbrojovka,CSK,vz. 58,assault_rifle,7.62x39mm,1959,1984,1,5,0,3
cz75_csk,Česká zbrojovka,CSK,CZ 75,pistol,9x19mm,1976,1992,0,6,0,0.3,0,0,0.4
mpikm,Ernst Thälmann Werk Suhl,DDR,MPi-KM,assault_rifle,7.62x39mm,1966,1990,2,5,0,3
md63,Cugir,ROU,PM md. 63,assault_rifle,7.62x39mm,1963,1989,2,4,0,3,0.5
fal,FN Herstal,BEL,FAL,assault_rifle,7.62x51mm,1955,1988,0,6,0,4,0.5
g3,Heckler & Koch,DEU,G3,assault_rifle,7.62x51mm,1960,1995,0,6,0,3,1
mas49,MAS,FRA,MAS 49/56,rifle,7.5x54mm,1957,1978,1,5,0,2,0,0,0.3
mat49,MAS,FRA,MAT-49,submachine_gun,9x19mm,1950,1979,1,5,0,1
akk,Arsenal,BGR,AKK,assault_rifle,7.62x39mm,1982,2015,0,5,1,2,3,3
t56_1,Norinco,CHN,Type 56-1,assault_rifle,7.62x39mm,1980,2022,0,8,0,0,10,10
t56_2,Norinco,CHN,Type 56-2,assault_rifle,7.62x39mm,1980,2022,0,8,0,0,3,3
t81,Norinco,CHN,Type 81,assault_rifle,7.62x39mm,1981,2000,0,7,0,0,1,0.5
t80,Norinco,CHN,Type 80,machine_gun,7.62x54mmR,1985,2020,0,7,0,0,2,2
w85,Norinco,CHN,W85,heavy_machine_gun,12.7x108mm,1988,2020,0,7,0,0,1,1.5
t63_mortar,Norinco,CHN,PP89,mortar,60mm,1970,2020,0,5,0,0.5,1,1
t67_mortar,Norinco,CHN,Type 87,mortar,82mm,1970,2020,0,5,0,0.5,0.8,0.6
ak103,Kalashnikov Concern,RUS,AK-103,assault_rifle,7.62x39mm,2001,2022,0,6,1,0,1.5,2
pkm_rus,Degtyarev Plant,RUS,PKM,machine_gun,7.62x54mmR,1992,2022,0,5,1,0,1,1
rpg7v_rus,Bazalt,RUS,RPG-7V,rocket_launcher,40mm,1992,2020,2,4,0,0,1,1
arm1,Arsenal,BGR,AR-M1,assault_rifle,7.62x39mm,1996,2022,0,5,1,0,2,4
atgl,Arsenal,BGR,ATGL-L,rocket_launcher,40mm,2000,2022,0,5,1,0,1,2
mg1m,Arsenal,BGR,MG-1M,machine_gun,7.62x54mmR,1995,2022,0,5,1,0,0.5,1
m70ab2,Zastava Arms,SRB,M70AB2,assault_rifle,7.62x39mm,1992,2022,0,6,0,0,2,3
m84,Zastava Arms,SRB,M84,machine_gun,7.62x54mmR,1992,2022,0,6,0,0,0.5,1
m02,Zastava Arms,SRB,M02 Coyote,heavy_machine_gun,12.7x108mm,2002,2022,0,6,0,0,0.2,0.5
md90,Cugir,ROU,PM md. 90,assault_rifle,7.62x39mm,1990,2010,2,4,0,0,0.5,0.5
mag,FN Herstal,BEL,MAG,machine_gun,7.62x51mm,1960,2022,0,6,0,0.5,1,1
fnc,FN Herstal,BEL,FNC,assault_rifle,5.56x45mm,1979,2005,0,6,0,0,0.5,0.5
hipower,FN Herstal,BEL,Browning Hi-Power,pistol,9x19mm,1950,2017,1,6,0,0.5,0.5,0,1
m16,Colt,USA,M16A2,assault_rifle,5.56x45mm,1983,2010,1,7,0,0,0.5,0.7
mp5,Heckler & Koch,DEU,MP5,submachine_gun,9x19mm,1966,2022,0,6,0,0,0.3,0.3
sw10,Smith & Wesson,USA,Model 10,revolver,.38 Special,1950,2020,1,6,0,0,0,0,1.5
moss500,Mossberg,USA,500,shotgun,12ga,1970,2022,1,6,0,0,0,0,1
tp9,Canik,TUR,TP9,pistol,9x19mm,2012,2023,1,5,1,0,0,0.3,3
sar9,Sarsilmaz,TUR,SAR 9,pistol,9x19mm,2013,2023,1,5,1,0,0,0,1
escort,Hatsan,TUR,Escort,shotgun,12ga,2000,2023,0,6,0,0,0,0,3
pt92,Taurus,BRA,PT 92,pistol,9x19mm,1985,2022,3,5,0,0,0.5,0,2
t82,Taurus,BRA,Model 82,revolver,.38 Special,1980,2022,2,6,0,0,0,0,2
b92,Beretta,ITA,92FS,pistol,9x19mm,1985,2022,3,6,0,0,0.5,0,1.5
a300,Beretta,ITA,A300,shotgun,12ga,1990,2022,1,6,0,0,0,0,1
izh27,Baikal,RUS,IZH-27,shotgun,12ga,1975,2022,0,6,1,0,0,0,4
mp153,Baikal,RUS,MP-153,shotgun,12ga,2000,2022,0,6,1,0,0,0,1
cz75b,Česká zbrojovka,CZE,CZ 75 B,pistol,9x19mm,1993,2022,1,6,0,0,0.3,0,1
glock17,Glock,AUT,Glock 17,pistol,9x19mm,1982,2022,3,3,0,0,0.5,0,1
""",
    (str, str, str, str, str, str, int, int, int, int, int, float, float, float, float),
)

#: converted blank-firing pistols (conversion workshops): line, make, country, model.
CONVERTED = [
    ("zoraki", "Atak Arms", "TUR", "Zoraki 917", 3, 6),
    ("ekol", "Ekol", "TUR", "Jackal", 1, 6),
    ("retay", "Retay", "TUR", "Retay 92", 2, 6),
]

#: craft weapons: category, calibre (or ""), weight.
CRAFT = [
    ("shotgun", "12ga", 4.0),
    ("pistol", "12ga", 3.0),
    ("pistol", "", 1.0),
    ("revolver", "", 0.7),
    ("rifle", "", 0.8),
]

#: ammunition lines: make, country, calibre, headstamp factory code, weight.
AMMUNITION = [
    ("Norinco", "CHN", "7.62x39mm", "61", 4.0),
    ("Norinco", "CHN", "7.62x39mm", "71", 2.0),
    ("Norinco", "CHN", "7.62x39mm", "945", 1.5),
    ("Barnaul Cartridge Plant", "SUN", "7.62x39mm", "17", 2.0),
    ("Barnaul Cartridge Plant", "RUS", "7.62x39mm", "17", 1.0),
    ("Arsenal", "BGR", "7.62x39mm", "10", 2.0),
    ("Prvi Partizan", "SRB", "7.62x39mm", "PPU", 1.5),
    ("Military Industry Corporation", "SDN", "7.62x39mm", "SU", 2.0),
    ("Defence Industries Organization", "IRN", "7.62x39mm", "IR", 1.0),
    ("Norinco", "CHN", "7.62x54mmR", "11", 1.5),
    ("Barnaul Cartridge Plant", "SUN", "7.62x54mmR", "188", 1.0),
    ("Arsenal", "BGR", "7.62x54mmR", "10", 1.0),
    ("Prvi Partizan", "SRB", "7.62x54mmR", "PPU", 0.7),
    ("Norinco", "CHN", "12.7x108mm", "41", 1.0),
    ("Barnaul Cartridge Plant", "SUN", "12.7x108mm", "188", 0.5),
    ("Military Industry Corporation", "SDN", "12.7x108mm", "SU", 0.5),
    ("FN Herstal", "BEL", "7.62x51mm", "FN", 1.0),
    ("MKEK", "TUR", "7.62x51mm", "MKE", 0.5),
    ("Prvi Partizan", "SRB", "9x19mm", "PPU", 1.0),
    ("CBC", "BRA", "9x19mm", "CBC", 1.0),
    ("MKEK", "TUR", "9x19mm", "MKE", 1.0),
    ("CBC", "BRA", ".38 Special", "CBC", 1.0),
    ("Fiocchi", "ITA", "12ga", "FIOCCHI", 2.0),
    ("CBC", "BRA", "12ga", "CBC", 1.0),
    ("Norinco", "CHN", "40mm", "", 1.0),
    ("Bazalt", "SUN", "40mm", "", 1.0),
    ("Arsenal", "BGR", "40mm", "", 1.0),
    ("Norinco", "CHN", "60mm", "", 1.0),
    ("Norinco", "CHN", "82mm", "", 1.0),
    ("Norinco", "CHN", "7.62x25mm", "", 0.3),
    ("Barnaul Cartridge Plant", "SUN", "9x18mm", "539", 0.3),
    ("Barnaul Cartridge Plant", "SUN", "7.62x39mm", "539", 0.5),
]

#: IED components diverted from commercial (mining) explosive stores.
EXPLOSIVES = [
    ("electric detonator", "détonateur électrique", 3.0),
    ("non-electric detonator", "détonateur non électrique", 2.0),
    ("detonating cord", "cordeau détonant", 2.0),
    ("emulsion explosive", "explosif en émulsion", 1.5),
    ("ammonium nitrate", "nitrate d'ammonium", 1.5),
    ("safety fuse", "mèche lente", 1.0),
]

#: weapon parts: English, French.
PARTS = [("magazine", "chargeur"), ("bolt", "culasse"), ("barrel", "canon")]

#: historic manufacturing states and who answers for them today.
SUCCESSOR = {"SUN": "RUS", "YUG": "SRB", "CSK": "CZE", "DDR": "DEU"}

# --------------------------------------------------------------------------- parties

#: how the requested party answers trace requests: party, probability of an
#: acknowledgement, probability of an answer, median days to acknowledge,
#: median days to answer, probability of refusing.
RESPONSIVENESS = [
    ("BEL", 0.95, 0.93, 15, 50, 0.00),
    ("USA", 0.95, 0.92, 7, 30, 0.00),
    ("AUT", 0.92, 0.90, 20, 45, 0.00),
    ("DEU", 0.90, 0.85, 25, 90, 0.01),
    ("CZE", 0.88, 0.82, 30, 90, 0.01),
    ("ITA", 0.85, 0.80, 30, 100, 0.01),
    ("FRA", 0.90, 0.85, 25, 80, 0.01),
    ("BRA", 0.75, 0.62, 40, 150, 0.02),
    ("TUR", 0.70, 0.55, 45, 160, 0.05),
    ("BGR", 0.88, 0.80, 30, 110, 0.02),
    ("SRB", 0.88, 0.82, 25, 95, 0.02),
    ("ROU", 0.80, 0.70, 35, 130, 0.02),
    ("RUS", 0.40, 0.18, 90, 300, 0.15),
    ("CHN", 0.55, 0.35, 80, 240, 0.10),
    ("IRN", 0.05, 0.00, 120, 400, 0.30),
    ("SDN", 0.10, 0.02, 120, 400, 0.20),
    ("LBY", 0.15, 0.05, 120, 400, 0.05),
    ("NGA", 0.60, 0.40, 45, 180, 0.05),
    ("GHA", 0.65, 0.45, 40, 160, 0.05),
    ("CIV", 0.65, 0.45, 40, 150, 0.05),
    ("SEN", 0.65, 0.50, 35, 140, 0.05),
    ("MLI", 0.50, 0.30, 60, 200, 0.05),
    ("BFA", 0.50, 0.30, 60, 200, 0.05),
    ("NER", 0.50, 0.30, 60, 200, 0.05),
    ("TCD", 0.35, 0.15, 90, 260, 0.10),
    ("CMR", 0.55, 0.35, 60, 200, 0.05),
    ("CAF", 0.30, 0.15, 90, 260, 0.05),
    ("GIN", 0.45, 0.25, 60, 220, 0.05),
    ("BEN", 0.55, 0.40, 45, 170, 0.05),
    ("TGO", 0.55, 0.40, 45, 170, 0.05),
    ("MRT", 0.45, 0.25, 60, 220, 0.05),
    ("DZA", 0.30, 0.15, 90, 260, 0.10),
    ("LBR", 0.50, 0.30, 60, 200, 0.05),
    ("SLE", 0.50, 0.30, 60, 200, 0.05),
    ("GNB", 0.30, 0.15, 90, 260, 0.05),
]

#: manufacturers that answer directly (party_type "manufacturer"): make, ack,
#: answer, median days to acknowledge, median days to answer, refusal.
MAKER_RESPONSIVENESS = [
    ("FN Herstal", 0.97, 0.95, 10, 35, 0.00),
    ("Glock", 0.95, 0.92, 10, 30, 0.00),
    ("Beretta", 0.90, 0.85, 15, 45, 0.00),
    ("Česká zbrojovka", 0.90, 0.85, 15, 45, 0.00),
    ("Heckler & Koch", 0.90, 0.85, 20, 60, 0.00),
    ("Colt", 0.90, 0.85, 15, 45, 0.00),
    ("Smith & Wesson", 0.90, 0.88, 10, 35, 0.00),
    ("Mossberg", 0.90, 0.85, 10, 40, 0.00),
    ("Taurus", 0.80, 0.70, 30, 90, 0.02),
    ("Canik", 0.75, 0.60, 30, 100, 0.05),
    ("Sarsilmaz", 0.70, 0.55, 30, 110, 0.05),
    ("Hatsan", 0.70, 0.55, 30, 110, 0.05),
    ("Atak Arms", 0.65, 0.50, 30, 120, 0.05),
    ("Ekol", 0.65, 0.50, 30, 120, 0.05),
    ("Retay", 0.65, 0.50, 30, 120, 0.05),
    ("Arsenal", 0.80, 0.70, 30, 100, 0.03),
    ("Zastava Arms", 0.85, 0.78, 25, 90, 0.02),
    ("Baikal", 0.40, 0.25, 60, 200, 0.10),
    ("Norinco", 0.40, 0.25, 90, 250, 0.15),
    ("Kalashnikov Concern", 0.30, 0.15, 90, 300, 0.20),
]

#: supplier affinity: region state -> {country of manufacture: weight multiplier}.
AFFINITY = {
    "NGA": {"DEU": 3.0, "BEL": 2.0, "CHN": 1.5, "USA": 1.5},
    "GHA": {"DEU": 2.0, "BEL": 1.5, "CHN": 1.5},
    "LBY": {"SUN": 3.0, "BEL": 2.0, "ROU": 1.5, "RUS": 2.0},
    "SDN": {"CHN": 3.0, "IRN": 2.0, "SUN": 1.5},
    "TCD": {"CHN": 1.5, "SRB": 1.5, "BGR": 1.5, "FRA": 1.5},
    "MLI": {"SUN": 1.5, "CHN": 2.0, "FRA": 1.5},
    "BFA": {"CHN": 1.5, "FRA": 1.5, "BGR": 1.5},
    "NER": {"FRA": 2.0, "CHN": 1.5},
    "CIV": {"FRA": 2.0, "BGR": 1.5, "BLR": 1.0, "YUG": 1.5},
    "CAF": {"SUN": 1.5, "CHN": 1.5, "YUG": 1.5},
    "CMR": {"CHN": 1.5, "ISR": 1.0, "FRA": 1.5, "SRB": 1.5},
    "SEN": {"FRA": 2.5},
    "GIN": {"SUN": 2.0, "CHN": 1.5, "CSK": 1.5},
    "LBR": {"USA": 2.0, "CHN": 1.5},
    "SLE": {"CHN": 1.5, "BEL": 1.5},
}

# --------------------------------------------------------------------------- names

FIRST_NAMES = (
    "Moussa Ibrahim Amadou Oumar Abdoulaye Mamadou Issa Souleymane Aliou Adama "
    "Boubacar Seydou Kwame Kofi Emeka Chinedu Yaw Musa Aminata Fatoumata Mariam "
    "Hadiza Ousmane Hamidou Idrissa Salif Modibo Bakary Lassina Drissa Yacouba Sani "
    "Abubakar Tunde Kossi Komlan Kodjo Ahmed Mahamat Hassan Zakaria Ibrahima Cheick "
    "Sidiki Adamou Djibril Kader Nouhoum Youssouf Bello Garba Ifeanyi Kwabena Kojo "
    "Yao Koffi Ange Serge Hervé Jean-Baptiste Alain Didier Brahim Mohamed Sidi "
    "Alhassane"
).split()

LAST_NAMES = (
    "Traoré Diallo Coulibaly Keïta Konaté Sangaré Touré Cissé Diarra Ouédraogo "
    "Sawadogo Kaboré Compaoré Maïga Issoufou Mahamadou Abdou Bello Okafor Mensah "
    "Boateng Asante Adjei Kouassi Koné Kouamé Bamba Ndiaye Diop Fall Sow Camara "
    "Sylla Bah Barry Abakar Oumarou Garba Danjuma Adeyemi Agbodjan Hounkpatin Zinsou "
    "Sidibé Dembélé Haïdara Ag Alhassane Ould Ahmed Yattara Sanogo Tamboura Zongo "
    "Ilboudo Nikiéma Moussa Ali Idriss Nwosu Eze Obi Owusu Appiah Agyeman N'Guessan "
    "Yéo Soro Fofana Doumbia"
).split()

#: armed group names: French stem, English stem, acronym words come from these.
GROUP_PREFIX = [
    ("Front", "Front"),
    ("Mouvement", "Movement"),
    ("Coalition", "Coalition"),
    ("Rassemblement", "Rally"),
    ("Union", "Union"),
    ("Alliance", "Alliance"),
    ("Brigade", "Brigade"),
    ("Conseil", "Council"),
]
GROUP_MIDDLE = [
    ("patriotique", "Patriotic", "P"),
    ("pour la justice", "for Justice", "J"),
    ("pour le salut", "for the Salvation", "S"),
    ("de libération", "of Liberation", "L"),
    ("populaire", "Popular", "P"),
    ("pour la défense", "for the Defence", "D"),
    ("révolutionnaire", "Revolutionary", "R"),
    ("pour l'unité", "for the Unity", "U"),
]
GROUP_PLACE = {
    "sahel": [
        ("du Gourma", "of the Gourma", "G"),
        ("du Liptako", "of the Liptako", "L"),
        ("de l'Adrar", "of the Adrar", "A"),
        ("du Macina", "of the Macina", "M"),
        ("du Sahel", "of the Sahel", "S"),
    ],
    "lake_chad": [
        ("du Lac", "of the Lake", "L"),
        ("du Borno", "of Borno", "B"),
        ("du Mandara", "of the Mandara", "M"),
    ],
    "northwest": [
        ("du Zamfara", "of Zamfara", "Z"),
        ("de la Savane", "of the Savannah", "S"),
        ("du Rima", "of the Rima", "R"),
    ],
    "car": [
        ("de l'Est", "of the East", "E"),
        ("de la Vakaga", "of the Vakaga", "V"),
        ("du Centre", "of the Centre", "C"),
        ("de l'Ouham", "of the Ouham", "O"),
    ],
    "fezzan": [
        ("du Fezzan", "of the Fezzan", "F"),
        ("du Tibesti", "of the Tibesti", "T"),
    ],
    "ambazonia": [
        ("des Hautes Terres", "of the Highlands", "H"),
        ("du Sud-Ouest", "of the South-West", "SW"),
    ],
    "casamance": [("de Casamance", "of Casamance", "C")],
}
GANG_WORDS = [
    ("Corbeaux", "Ravens"),
    ("Lions", "Lions"),
    ("Motos noires", "Black Bikes"),
    ("Sept Collines", "Seven Hills"),
    ("Lagunes", "Lagoon"),
    ("Panthères", "Panthers"),
    ("Scorpions", "Scorpions"),
    ("Bérets rouges", "Red Berets"),
    ("Fer", "Iron"),
    ("Port", "Harbour"),
    ("Gares", "Station"),
    ("Marché", "Market"),
    ("Vipères", "Vipers"),
    ("Frères", "Brothers"),
    ("Chacals", "Jackals"),
    ("Aigles", "Eagles"),
]


def frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """Turn one of the tables above into a DataFrame."""
    return pd.DataFrame(rows, columns=columns)


@cache
def lines() -> pd.DataFrame:
    """The weapon product lines with their kind weights (cached; do not modify)."""
    return frame(
        LINES,
        [
            "line",
            "make",
            "country",
            "model",
            "category",
            "calibre",
            "first_year",
            "last_year",
            "letters",
            "digits",
            "year_prefix",
            "w_historic",
            "w_stockpile",
            "w_export",
            "w_civilian",
        ],
    )
