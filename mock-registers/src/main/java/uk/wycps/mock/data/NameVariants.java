package uk.wycps.mock.data;

import java.util.List;
import java.util.Map;
import java.util.Random;

/** Nicknames, alternative spellings and typing slips: how one child's name differs between registers. */
public final class NameVariants {

    private static final Map<String, List<String>> NICKNAMES = Map.ofEntries(
            Map.entry("William", List.of("Billy", "Will")), Map.entry("Thomas", List.of("Tom", "Tommy")),
            Map.entry("Elizabeth", List.of("Lizzie", "Beth")), Map.entry("Alexander", List.of("Alex", "Xander")),
            Map.entry("Jessica", List.of("Jess")), Map.entry("Olivia", List.of("Liv", "Livvy")),
            Map.entry("Daniel", List.of("Danny", "Dan")), Map.entry("Joshua", List.of("Josh")),
            Map.entry("Samuel", List.of("Sam", "Sammy")), Map.entry("Charlotte", List.of("Charlie", "Lottie")),
            Map.entry("Rebecca", List.of("Becky", "Becca")), Map.entry("Abigail", List.of("Abbie", "Abi")),
            Map.entry("Benjamin", List.of("Ben", "Benny")), Map.entry("James", List.of("Jamie", "Jim")),
            Map.entry("Frederick", List.of("Freddie")), Map.entry("Harrison", List.of("Harry")),
            Map.entry("Isabella", List.of("Bella", "Izzy")), Map.entry("Amelia", List.of("Millie", "Mia")),
            Map.entry("Katie", List.of("Kate")), Map.entry("Caitlin", List.of("Cait")),
            Map.entry("Bradley", List.of("Brad")), Map.entry("Callum", List.of("Cal")),
            Map.entry("Muhammad", List.of("Mo")), Map.entry("Mohammed", List.of("Mo")),
            Map.entry("Abdullah", List.of("Abdul")), Map.entry("Ibrahim", List.of("Ibby")),
            Map.entry("Zakariya", List.of("Zak")), Map.entry("Yusuf", List.of("Yousuf")),
            Map.entry("Aleksandra", List.of("Ola")), Map.entry("Katarzyna", List.of("Kasia")),
            Map.entry("Małgorzata", List.of("Gosia")), Map.entry("Jakub", List.of("Kuba")),
            Map.entry("Wojciech", List.of("Wojtek")), Map.entry("Krzysztof", List.of("Krzyś")),
            Map.entry("Aleksander", List.of("Olek")), Map.entry("Alexandru", List.of("Alex")),
            Map.entry("Alexandra", List.of("Alex", "Sasha")), Map.entry("Anastasija", List.of("Nastja")),
            Map.entry("Patrick", List.of("Paddy")), Map.entry("Michael", List.of("Mick", "Mikey")),
            Map.entry("Padraig", List.of("Paddy")), Map.entry("Siobhan", List.of("Shiv")),
            Map.entry("Oluwaseun", List.of("Seun")), Map.entry("Chiamaka", List.of("Amaka")),
            Map.entry("Jermaine", List.of("Jay")), Map.entry("Malachi", List.of("Kai")),
            Map.entry("Sophia", List.of("Sophie")), Map.entry("Gabriela", List.of("Gabi")),
            Map.entry("Elena", List.of("Lena")), Map.entry("Maria", List.of("Mari")),
            Map.entry("Andrei", List.of("Andi")), Map.entry("Zuzanna", List.of("Zuzia")),
            Map.entry("Harjeet", List.of("Harj")), Map.entry("Gurpreet", List.of("Gurp")),
            Map.entry("Tinashe", List.of("Tina")), Map.entry("Mary", List.of("Molly")));

    private static final List<List<String>> SPELLINGS = List.of(
            List.of("Muhammad", "Mohammed", "Mohammad", "Mohamed"), List.of("Aisha", "Ayesha", "Aysha"),
            List.of("Zainab", "Zaynab"), List.of("Hussain", "Hussein", "Husain"), List.of("Ahmed", "Ahmad"),
            List.of("Chaudhry", "Chaudhary", "Choudhury"), List.of("Rehman", "Rahman"), List.of("Yousaf", "Yusuf"),
            List.of("Katie", "Katy", "Katey"), List.of("Leah", "Lea", "Leigh"), List.of("Sean", "Shaun", "Shawn"),
            List.of("Caitlin", "Kaitlyn", "Katelyn"), List.of("Jayden", "Jaden", "Jaydon"),
            List.of("Mia", "Miya"), List.of("Lacey", "Lacie"), List.of("Macie", "Macey", "Maisie"),
            List.of("Reece", "Rhys", "Reese"), List.of("Lewis", "Louis"), List.of("Isla", "Ayla"),
            List.of("Sophia", "Sofia"), List.of("Clarke", "Clark"), List.of("Haigh", "Haig"),
            List.of("Whiteley", "Whitley"), List.of("Siobhan", "Shivaun"), List.of("Niamh", "Neve"),
            List.of("Saoirse", "Seersha"), List.of("O'Brien", "OBrien", "O Brien"), List.of("O'Neill", "ONeill"),
            List.of("Kowalski", "Kowalsky"), List.of("Wiśniewski", "Wisniewski"), List.of("Woźniak", "Wozniak"),
            List.of("Łukasz", "Lukasz"), List.of("Michał", "Michal"), List.of("Małgorzata", "Malgorzata"),
            List.of("Ionuț", "Ionut"), List.of("Horváth", "Horvath"), List.of("Lakatoš", "Lakatos"),
            List.of("Bērziņš", "Berzins"), List.of("Austėja", "Austeja"), List.of("Abdirahman", "Abdurahman"),
            List.of("Tyrese", "Tyreese"), List.of("Shanice", "Shaniece"), List.of("Keisha", "Keysha"));

    private NameVariants() {
    }

    /** A nickname for the name, or null when it has none. */
    public static String nickname(Random rnd, String given) {
        List<String> nicks = NICKNAMES.get(given);
        return nicks == null ? null : nicks.get(rnd.nextInt(nicks.size()));
    }

    /** Another usual spelling of the name, or null when it has none. */
    public static String otherSpelling(Random rnd, String name) {
        for (List<String> group : SPELLINGS) {
            int i = group.indexOf(name);
            if (i >= 0) {
                int j = rnd.nextInt(group.size() - 1);
                return group.get(j >= i ? j + 1 : j);
            }
        }
        return null;
    }

    /** A typing slip: two neighbouring letters swapped, one dropped or one doubled. */
    public static String typo(Random rnd, String name) {
        if (name.length() < 4) {
            return name + name.charAt(name.length() - 1);
        }
        int i = 1 + rnd.nextInt(name.length() - 2);
        switch (rnd.nextInt(3)) {
            case 0:
                if (name.charAt(i) != name.charAt(i + 1)) {
                    return name.substring(0, i) + name.charAt(i + 1) + name.charAt(i) + name.substring(i + 2);
                }
                return name.substring(0, i) + name.substring(i + 1);
            case 1:
                return name.substring(0, i) + name.substring(i + 1);
            default:
                return name.substring(0, i) + name.charAt(i) + name.substring(i);
        }
    }
}
