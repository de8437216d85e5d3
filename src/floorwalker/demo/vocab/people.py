"""People and places: names, streets, cities, phone numbers, e-mail domains, carriers.

Phone numbers use the 555-01xx block reserved for fiction; e-mail domains are the reserved
`example.*` ones, so nothing the demo generates reaches a real person.
"""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = (
    "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Charlotte",
    "James", "Ava", "William", "Isabella", "Benjamin", "Mia", "Lucas", "Evelyn", "Henry",
    "Harper", "Theodore", "Luna", "Jack", "Camila", "Levi", "Gianna", "Alexander", "Elizabeth",
    "Jackson", "Eleanor", "Mateo", "Ella", "Daniel", "Abigail", "Michael", "Sofia", "Mason",
    "Avery", "Sebastian", "Scarlett", "Ethan", "Emily", "Logan", "Aria", "Owen", "Penelope",
    "Samuel", "Chloe", "Jacob", "Layla", "Asher", "Mila", "Aiden", "Nora", "John", "Hazel",
    "Joseph", "Madison", "Wyatt", "Ellie", "David", "Lily", "Leo", "Nova", "Luke", "Isla",
    "Julian", "Grace", "Hudson", "Violet", "Grayson", "Aurora", "Matthew", "Riley", "Ezra",
    "Zoey", "Gabriel", "Willow", "Carter", "Emilia", "Isaac", "Stella", "Jayden", "Zoe",
    "Luca", "Victoria", "Anthony", "Hannah", "Dylan", "Addison", "Lincoln", "Leah", "Thomas",
    "Lucy", "Maverick", "Eliana", "Elias", "Ivy", "Josiah", "Everly", "Charles", "Lillian",
    "Caleb", "Paisley", "Christopher", "Elena", "Ezekiel", "Naomi", "Miles", "Maya", "Jaxon",
    "Natalie", "Isaiah", "Kinsley", "Andrew", "Delilah", "Joshua", "Claire", "Nathan", "Audrey",
    "Nolan", "Aaliyah", "Adrian", "Ruby", "Cameron", "Brooklyn", "Santiago", "Alice", "Eli",
    "Aubrey", "Aaron", "Autumn", "Ryan", "Leilani", "Angel", "Savannah", "Cooper", "Valentina",
    "Waylon", "Kennedy", "Easton", "Madelyn", "Kai", "Josephine", "Christian", "Bella", "Landon",
    "Skylar", "Colton", "Genesis", "Roman", "Sadie", "Axel", "Hailey", "Brooks", "Nevaeh",
    "Jonathan", "Eva", "Robert", "Ariana", "Jameson", "Quinn", "Ian", "Caroline", "Everett",
    "Piper", "Greyson", "Lydia", "Wesley", "Jade", "Jeremiah", "Rylee", "Hunter", "Clara",
    "Leonardo", "Peyton", "Jordan", "Emery", "Jose", "Adeline", "Bennett", "Vivian", "Silas",
    "Priya", "Arjun", "Ananya", "Rohan", "Mei", "Wei", "Hiroshi", "Yuki", "Min-jun", "Seo-yeon",
    "Fatima", "Omar", "Amara", "Kwame", "Chidi", "Ngozi", "Diego", "Lucia", "Ines", "Rafael",
    "Tomás", "Sofía", "Aleksandr", "Katya", "Anh", "Linh", "Tariq", "Leila", "Siobhan", "Declan",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans",
    "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris",
    "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
    "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson",
    "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price",
    "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
    "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler",
    "Henderson", "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan",
    "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace", "Moreno",
    "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar",
    "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens", "Harrison", "Fernandez",
    "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman",
    "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter",
    "Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks",
    "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar",
    "Fox", "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols",
    "Okafor", "Adeyemi", "Nakamura", "Tanaka", "Sato", "Wang", "Zhang", "Liu", "Singh", "Sharma",
    "Gupta", "Iyer", "Haddad", "Khalil", "Novak", "Kowalski", "Petrov", "Ivanova", "O'Brien",
    "Lindqvist", "Larsen", "Dubois", "Moreau", "Rossi", "Bianchi", "Schneider", "Fischer",
)  # fmt: skip

STREETS: tuple[str, ...] = (
    "Oak", "Maple", "Cedar", "Pine", "Elm", "Birch", "Willow", "Alder", "Spruce", "Hemlock",
    "Lincoln", "Washington", "Jefferson", "Madison", "Adams", "Jackson", "Franklin", "Grant",
    "Park", "Lake", "Hill", "River", "Forest", "Meadow", "Ridge", "Valley", "Spring", "Sunset",
    "Highland", "Church", "Mill", "Main", "Market", "Union", "Broadway", "Division", "Belmont",
    "Hawthorne", "Alberta", "Burnside", "Fremont", "Ashby", "Telegraph", "Cherry", "Walnut",
    "Chestnut", "Laurel", "Magnolia", "Dogwood", "Sycamore", "Juniper", "Aspen", "Prospect",
    "Summit", "Harbor", "Bay", "Ocean", "Mountain", "Canyon", "Mesa", "Vista", "Orchard",
)  # fmt: skip

STREET_SUFFIXES: tuple[str, ...] = (
    "St",
    "Ave",
    "Rd",
    "Blvd",
    "Ln",
    "Dr",
    "Ct",
    "Way",
    "Pl",
    "Ter",
)

UNITS: tuple[str, ...] = ("Apt", "Unit", "Suite", "#")

#: (city, state, ZIP prefix, sales-tax rate in basis points, nearest distribution centre).
CITIES: tuple[tuple[str, str, str, int, str], ...] = (
    ("Portland", "OR", "972", 0, "west"), ("Bend", "OR", "977", 0, "west"),
    ("Eugene", "OR", "974", 0, "west"), ("Seattle", "WA", "981", 1035, "west"),
    ("Tacoma", "WA", "984", 1030, "west"), ("Spokane", "WA", "992", 910, "west"),
    ("Bellingham", "WA", "982", 900, "west"), ("Boise", "ID", "837", 600, "west"),
    ("San Francisco", "CA", "941", 863, "west"), ("Oakland", "CA", "946", 1025, "west"),
    ("Los Angeles", "CA", "900", 950, "west"), ("San Diego", "CA", "921", 775, "west"),
    ("Sacramento", "CA", "958", 875, "west"), ("Reno", "NV", "895", 827, "west"),
    ("Salt Lake City", "UT", "841", 775, "west"), ("Denver", "CO", "802", 881, "west"),
    ("Boulder", "CO", "803", 886, "west"), ("Phoenix", "AZ", "850", 860, "west"),
    ("Flagstaff", "AZ", "860", 918, "west"), ("Santa Fe", "NM", "875", 844, "west"),
    ("Missoula", "MT", "598", 0, "west"), ("Anchorage", "AK", "995", 0, "west"),
    ("Austin", "TX", "787", 825, "east"), ("Minneapolis", "MN", "554", 903, "east"),
    ("Chicago", "IL", "606", 1025, "east"), ("Madison", "WI", "537", 550, "east"),
    ("Ann Arbor", "MI", "481", 600, "east"), ("Columbus", "OH", "432", 750, "east"),
    ("Pittsburgh", "PA", "152", 700, "east"), ("Philadelphia", "PA", "191", 800, "east"),
    ("Brooklyn", "NY", "112", 888, "east"), ("Burlington", "VT", "054", 700, "east"),
    ("Portland", "ME", "041", 550, "east"), ("Boston", "MA", "021", 625, "east"),
    ("Providence", "RI", "029", 700, "east"), ("Asheville", "NC", "288", 700, "east"),
    ("Raleigh", "NC", "276", 725, "east"), ("Atlanta", "GA", "303", 890, "east"),
    ("Nashville", "TN", "372", 925, "east"), ("Washington", "DC", "200", 600, "east"),
    ("Richmond", "VA", "232", 600, "east"), ("Charleston", "SC", "294", 900, "east"),
)  # fmt: skip

#: Area codes by state, used with the fictional 555-01xx block.
AREA_CODES: dict[str, tuple[str, ...]] = {
    "OR": ("503", "541", "971"), "WA": ("206", "253", "360", "509"), "ID": ("208",),
    "CA": ("415", "510", "213", "619", "916"), "NV": ("775",), "UT": ("801",),
    "CO": ("303", "720"), "AZ": ("602", "928"), "NM": ("505",), "MT": ("406",), "AK": ("907",),
    "TX": ("512",), "MN": ("612",), "IL": ("312", "773"), "WI": ("608",), "MI": ("734",),
    "OH": ("614",), "PA": ("412", "215"), "NY": ("718", "347"), "VT": ("802",), "ME": ("207",),
    "MA": ("617",), "RI": ("401",), "NC": ("828", "919"), "GA": ("404",), "TN": ("615",),
    "DC": ("202",), "VA": ("804",), "SC": ("843",),
}  # fmt: skip

EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org", "example.net")

CARD_BRANDS: tuple[tuple[str, int], ...] = (
    ("visa", 46),
    ("mastercard", 30),
    ("amex", 14),
    ("discover", 10),
)

GIFT_CARD_VALUES: tuple[int, ...] = (2500, 5000, 7500, 10000, 15000, 20000)

#: (carrier, tracking-number kind, tracking URL template).
CARRIERS: tuple[tuple[str, str, str], ...] = (
    ("UPS", "ups", "https://www.ups.com/track?tracknum={number}"),
    ("USPS", "usps", "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}"),
    ("FedEx", "fedex", "https://www.fedex.com/fedextrack/?trknbr={number}"),
)

RETURN_REASONS: tuple[str, ...] = (
    "Too small",
    "Too large",
    "Colour not as expected",
    "Changed my mind",
    "Arrived damaged",
    "Quality not as expected",
    "Ordered two sizes, returning one",
    "Not as pictured",
    "Found a better fit elsewhere",
)

PROMO_CODES: tuple[tuple[str, int], ...] = (
    ("WELCOME10", 10),
    ("TRAILDAYS15", 15),
    ("FRIENDS20", 20),
)
