package uk.wycps.mock.data;

import java.util.List;

/**
 * The communities the synthetic children are drawn from, with names, the ethnicity label a
 * register would record (2021 census categories) and the languages spoken at home. The mix per
 * authority is in {@link Places}. All names are common given and family names, not people.
 */
public enum Community {
    WHITE_BRITISH("White - English, Welsh, Scottish, Northern Irish or British",
            List.of("English"),
            List.of("Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
                    "Grace", "Freya", "Poppy", "Evie", "Ella", "Charlotte", "Emily", "Jessica", "Chloe", "Holly",
                    "Millie", "Lacey", "Macie", "Courtney", "Megan", "Bethany", "Leah", "Katie", "Caitlin", "Elizabeth",
                    "Rebecca", "Abigail", "Scarlett", "Harper", "Willow", "Maisie", "Lexi", "Summer", "Ellie", "Paige"),
            List.of("Oliver", "George", "Noah", "Arthur", "Harry", "Leo", "Jack", "Charlie", "Oscar", "Jacob",
                    "Thomas", "William", "James", "Alfie", "Freddie", "Archie", "Joshua", "Daniel", "Samuel", "Tyler",
                    "Kyle", "Callum", "Liam", "Reece", "Connor", "Mason", "Riley", "Logan", "Jayden", "Bradley",
                    "Kai", "Lewis", "Ethan", "Harrison", "Alexander", "Benjamin", "Jamie", "Dylan", "Louie", "Tommy"),
            List.of("Smith", "Jones", "Taylor", "Brown", "Wilson", "Johnson", "Walker", "Wood", "Robinson", "Thompson",
                    "Wright", "Hall", "Green", "Holmes", "Clarke", "Jackson", "Hargreaves", "Sutcliffe", "Haigh",
                    "Barraclough", "Greenwood", "Ackroyd", "Crowther", "Priestley", "Firth", "Hirst", "Rhodes", "Illingworth",
                    "Mitchell", "Shaw", "Bentley", "Booth", "Marsden", "Lockwood", "Midgley", "Pickles", "Dyson",
                    "Sykes", "Schofield", "Whiteley", "Atkinson", "Bottomley", "Kershaw", "Lumb", "Cooper", "Ward")),
    PAKISTANI("Asian or Asian British - Pakistani",
            List.of("English", "Urdu", "Punjabi", "Pahari (Mirpuri)"),
            List.of("Aisha", "Maryam", "Fatima", "Zainab", "Hafsa", "Aleena", "Anaya", "Eshal", "Hania", "Inaaya",
                    "Khadijah", "Mahnoor", "Noor", "Safa", "Sana", "Zara", "Amina", "Iqra", "Laiba", "Hira",
                    "Ayesha", "Alisha", "Mehak", "Rimsha", "Aleesha"),
            List.of("Muhammad", "Mohammed", "Ibrahim", "Yusuf", "Ali", "Hamza", "Musa", "Ayaan", "Zayn", "Abdullah",
                    "Haris", "Rayyan", "Zakariya", "Bilal", "Hassan", "Hussain", "Umar", "Usman", "Adam", "Imran",
                    "Zain", "Arham", "Shayan", "Haroon", "Danyal"),
            List.of("Khan", "Hussain", "Ahmed", "Ali", "Akhtar", "Mahmood", "Iqbal", "Shah", "Bibi", "Begum",
                    "Rehman", "Mohammed", "Hanif", "Rashid", "Aslam", "Javed", "Bashir", "Riaz", "Zaman", "Anwar",
                    "Chaudhry", "Malik", "Butt", "Mirza", "Latif", "Nawaz", "Sadiq", "Yousaf", "Kauser", "Saleem")),
    INDIAN("Asian or Asian British - Indian",
            List.of("English", "Gujarati", "Punjabi"),
            List.of("Aanya", "Diya", "Priya", "Anika", "Saanvi", "Jasleen", "Simran", "Harleen", "Riya", "Kiran",
                    "Aaliyah", "Safiya", "Nisha", "Meera", "Amrit"),
            List.of("Arjun", "Aarav", "Rohan", "Dev", "Harjeet", "Gurpreet", "Jaskaran", "Ishaan", "Veer", "Kabir",
                    "Yusuf", "Ismail", "Suleman", "Ravi", "Manpreet"),
            List.of("Patel", "Singh", "Kaur", "Sharma", "Mistry", "Desai", "Lad", "Sandhu", "Gill", "Dhaliwal",
                    "Bhatti", "Patel", "Vaghela", "Master", "Munshi")),
    BANGLADESHI("Asian or Asian British - Bangladeshi",
            List.of("English", "Bengali (Sylheti)"),
            List.of("Tahmina", "Nusrat", "Sumaiya", "Ruqayyah", "Jannat", "Tasnim", "Farhana", "Sadia"),
            List.of("Rahim", "Abdul", "Tanvir", "Rubel", "Sajid", "Habib", "Shafiq", "Mahfuz"),
            List.of("Miah", "Uddin", "Islam", "Rahman", "Hoque", "Choudhury", "Ahmed", "Begum", "Ali", "Khatun")),
    POLISH("White - Polish",
            List.of("English", "Polish"),
            List.of("Zuzanna", "Julia", "Maja", "Zofia", "Hanna", "Lena", "Aleksandra", "Amelia", "Katarzyna",
                    "Wiktoria", "Natalia", "Małgorzata", "Oliwia", "Agnieszka", "Gabriela"),
            List.of("Jakub", "Antoni", "Jan", "Szymon", "Filip", "Kacper", "Mateusz", "Bartosz", "Wojciech",
                    "Michał", "Łukasz", "Krzysztof", "Piotr", "Tomasz", "Dawid"),
            List.of("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
                    "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Krawczyk")),
    ROMANIAN_ROMA("White - Gypsy or Irish Traveller / Roma",
            List.of("English", "Romanian", "Romani", "Slovak"),
            List.of("Andreea", "Maria", "Ioana", "Elena", "Bianca", "Denisa", "Alexandra", "Nikola", "Vanesa",
                    "Kristína", "Erika", "Simona"),
            List.of("Andrei", "Ionuț", "Alexandru", "Gabriel", "Marian", "Florin", "Denis", "Patrik", "Marek",
                    "Roman", "Tomáš", "David"),
            List.of("Popescu", "Stan", "Dumitru", "Ionescu", "Lakatoš", "Horváth", "Balog", "Kuruc", "Žiga",
                    "Oláh", "Dunka", "Radu")),
    BALTIC("White - Other White",
            List.of("English", "Lithuanian", "Latvian", "Russian"),
            List.of("Emilija", "Gabija", "Austėja", "Anastasija", "Sofija", "Alise", "Viktorija", "Milana"),
            List.of("Lukas", "Matas", "Dominykas", "Nojus", "Artjoms", "Maksims", "Daniils", "Kristaps"),
            List.of("Kazlauskas", "Petrauskas", "Jankauskas", "Bērziņš", "Kalniņš", "Ozoliņš", "Ivanovs", "Vasiļjevs")),
    IRISH("White - Irish",
            List.of("English"),
            List.of("Siobhan", "Niamh", "Aoife", "Ciara", "Saoirse", "Orla", "Roisin", "Mary", "Bridget", "Erin"),
            List.of("Sean", "Patrick", "Ciaran", "Declan", "Conor", "Niall", "Padraig", "Michael", "Eoin", "Cillian"),
            List.of("Murphy", "Kelly", "O'Brien", "O'Neill", "McCarthy", "Doherty", "Gallagher", "Byrne", "Flanagan",
                    "McDonagh", "Ward", "O'Connor", "Quinn", "Brennan", "Maguire")),
    CARIBBEAN("Black, Black British, Caribbean or African - Caribbean",
            List.of("English"),
            List.of("Shanice", "Tia", "Jada", "Nia", "Keisha", "Aaliyah", "Chantelle", "Imani", "Kayla", "Naomi"),
            List.of("Tyrese", "Jaden", "Marcus", "Kareem", "Andre", "Jermaine", "Kofi", "Malachi", "Isaiah", "Reuben"),
            List.of("Campbell", "Williams", "Francis", "Grant", "Reid", "Morgan", "Bailey", "Lewis", "Henry",
                    "Clarke", "Forbes", "Bennett")),
    AFRICAN("Black, Black British, Caribbean or African - African",
            List.of("English", "Somali", "Tigrinya", "Yoruba", "Shona"),
            List.of("Amina", "Hodan", "Ayaan", "Deka", "Adaeze", "Chiamaka", "Folake", "Tendai", "Selam", "Hiwet",
                    "Blessing", "Precious"),
            List.of("Abdirahman", "Mohamed", "Yonas", "Dawit", "Chinedu", "Oluwaseun", "Tunde", "Tinashe", "Emeka",
                    "Kwame", "Samuel", "Daniel"),
            List.of("Abdi", "Hassan", "Osman", "Warsame", "Okafor", "Adeyemi", "Okonkwo", "Moyo", "Tesfaye",
                    "Haile", "Mensah", "Nwosu")),
    CHINESE("Asian or Asian British - Chinese",
            List.of("English", "Cantonese", "Mandarin"),
            List.of("Mei", "Xinyi", "Yuting", "Hui", "Jia", "Ling"),
            List.of("Wei", "Hao", "Jun", "Ming", "Zihan", "Kai"),
            List.of("Chen", "Wang", "Li", "Zhang", "Liu", "Wong", "Cheung", "Lam")),
    KURDISH_ARAB("Other ethnic group - Arab",
            List.of("English", "Arabic", "Kurdish (Sorani)"),
            List.of("Rojin", "Shilan", "Lana", "Sara", "Yasmin", "Rahaf", "Nour", "Layla"),
            List.of("Karwan", "Rebin", "Ahmad", "Omar", "Khaled", "Mustafa", "Yazan", "Hadi"),
            List.of("Ahmad", "Mahmoud", "Rasul", "Karim", "Aziz", "Salih", "Al-Hassan", "Abdullah")),
    MIXED("Mixed or Multiple ethnic groups - White and Black Caribbean",
            List.of("English"),
            List.of("Tia", "Jasmine", "Mya", "Skye", "Lola", "Kezia", "Amelia", "Ruby"),
            List.of("Jayden", "Kai", "Tyler", "Marley", "Zion", "Elijah", "Mason", "Leon"),
            List.of("Campbell", "Walker", "Brown", "Smith", "Reid", "Thompson", "Francis", "Wilson"));

    private final String ethnicity;
    private final List<String> languages;
    private final List<String> girls;
    private final List<String> boys;
    private final List<String> surnames;

    Community(String ethnicity, List<String> languages, List<String> girls, List<String> boys, List<String> surnames) {
        this.ethnicity = ethnicity;
        this.languages = languages;
        this.girls = girls;
        this.boys = boys;
        this.surnames = surnames;
    }

    public String ethnicity() {
        return ethnicity;
    }

    /** English first, then the community's home languages. */
    public List<String> languages() {
        return languages;
    }

    public List<String> girls() {
        return girls;
    }

    public List<String> boys() {
        return boys;
    }

    public List<String> surnames() {
        return surnames;
    }

    /** Adults' given names are drawn from the same lists: good enough for a register's "name". */
    public List<String> adultNames(boolean female) {
        return female ? girls : boys;
    }
}
