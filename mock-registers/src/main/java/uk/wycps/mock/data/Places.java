package uk.wycps.mock.data;

import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Towns, postcode districts, streets and community mixes of the five West Yorkshire
 * authorities. Postcodes are well formed and in the right district; they are not checked
 * against the real postcode file.
 */
public final class Places {

    /** A town and the postcode districts that serve it. */
    public record Town(String name, List<String> districts) {
    }

    /** One authority's places and the weight of each community among its children. */
    public record Area(String authority, String idPrefix, List<Town> towns, Map<Community, Integer> mix) {
    }

    public static final List<Area> AREAS = List.of(
            new Area("bradford", "BD", List.of(
                    new Town("Bradford", List.of("BD1", "BD2", "BD3", "BD4", "BD5", "BD6", "BD7", "BD8", "BD9", "BD10")),
                    new Town("Keighley", List.of("BD20", "BD21", "BD22")),
                    new Town("Shipley", List.of("BD17", "BD18")),
                    new Town("Bingley", List.of("BD16"))),
                    Map.ofEntries(Map.entry(Community.WHITE_BRITISH, 45), Map.entry(Community.PAKISTANI, 30),
                            Map.entry(Community.INDIAN, 3), Map.entry(Community.BANGLADESHI, 2),
                            Map.entry(Community.POLISH, 4), Map.entry(Community.ROMANIAN_ROMA, 4),
                            Map.entry(Community.BALTIC, 1), Map.entry(Community.IRISH, 2),
                            Map.entry(Community.CARIBBEAN, 2), Map.entry(Community.AFRICAN, 2),
                            Map.entry(Community.CHINESE, 1), Map.entry(Community.KURDISH_ARAB, 1),
                            Map.entry(Community.MIXED, 3))),
            new Area("calderdale", "CA", List.of(
                    new Town("Halifax", List.of("HX1", "HX2", "HX3")),
                    new Town("Elland", List.of("HX4", "HX5")),
                    new Town("Sowerby Bridge", List.of("HX6")),
                    new Town("Hebden Bridge", List.of("HX7"))),
                    Map.ofEntries(Map.entry(Community.WHITE_BRITISH, 72), Map.entry(Community.PAKISTANI, 14),
                            Map.entry(Community.POLISH, 3), Map.entry(Community.ROMANIAN_ROMA, 1),
                            Map.entry(Community.IRISH, 2), Map.entry(Community.CARIBBEAN, 1),
                            Map.entry(Community.AFRICAN, 2), Map.entry(Community.KURDISH_ARAB, 2),
                            Map.entry(Community.MIXED, 3))),
            new Area("kirklees", "KI", List.of(
                    new Town("Huddersfield", List.of("HD1", "HD2", "HD3", "HD4", "HD5", "HD7", "HD8", "HD9")),
                    new Town("Dewsbury", List.of("WF12", "WF13")),
                    new Town("Batley", List.of("WF17")),
                    new Town("Mirfield", List.of("WF14")),
                    new Town("Heckmondwike", List.of("WF16"))),
                    Map.ofEntries(Map.entry(Community.WHITE_BRITISH, 58), Map.entry(Community.PAKISTANI, 14),
                            Map.entry(Community.INDIAN, 8), Map.entry(Community.POLISH, 4),
                            Map.entry(Community.ROMANIAN_ROMA, 2), Map.entry(Community.BALTIC, 1),
                            Map.entry(Community.IRISH, 2), Map.entry(Community.CARIBBEAN, 4),
                            Map.entry(Community.AFRICAN, 2), Map.entry(Community.KURDISH_ARAB, 1),
                            Map.entry(Community.MIXED, 4))),
            new Area("leeds", "LE", List.of(
                    new Town("Leeds", List.of("LS1", "LS2", "LS4", "LS6", "LS7", "LS8", "LS9", "LS10", "LS11",
                            "LS12", "LS13", "LS14", "LS15", "LS16", "LS17")),
                    new Town("Morley", List.of("LS27")),
                    new Town("Pudsey", List.of("LS28")),
                    new Town("Otley", List.of("LS21")),
                    new Town("Wetherby", List.of("LS22"))),
                    Map.ofEntries(Map.entry(Community.WHITE_BRITISH, 55), Map.entry(Community.PAKISTANI, 6),
                            Map.entry(Community.INDIAN, 3), Map.entry(Community.BANGLADESHI, 2),
                            Map.entry(Community.POLISH, 5), Map.entry(Community.ROMANIAN_ROMA, 3),
                            Map.entry(Community.BALTIC, 2), Map.entry(Community.IRISH, 4),
                            Map.entry(Community.CARIBBEAN, 5), Map.entry(Community.AFRICAN, 6),
                            Map.entry(Community.CHINESE, 2), Map.entry(Community.KURDISH_ARAB, 2),
                            Map.entry(Community.MIXED, 5))),
            new Area("wakefield", "WA", List.of(
                    new Town("Wakefield", List.of("WF1", "WF2", "WF3", "WF4")),
                    new Town("Ossett", List.of("WF5")),
                    new Town("Normanton", List.of("WF6")),
                    new Town("Featherstone", List.of("WF7")),
                    new Town("Pontefract", List.of("WF8")),
                    new Town("South Elmsall", List.of("WF9")),
                    new Town("Castleford", List.of("WF10"))),
                    Map.ofEntries(Map.entry(Community.WHITE_BRITISH, 80), Map.entry(Community.PAKISTANI, 2),
                            Map.entry(Community.POLISH, 6), Map.entry(Community.ROMANIAN_ROMA, 2),
                            Map.entry(Community.BALTIC, 3), Map.entry(Community.IRISH, 2),
                            Map.entry(Community.CARIBBEAN, 1), Map.entry(Community.AFRICAN, 1),
                            Map.entry(Community.MIXED, 3))));

    private static final List<String> STREETS = List.of(
            "Church", "Victoria", "Moorside", "Mill", "Station", "Park", "Manor", "Albert", "Chapel", "Cliffe",
            "Westfield", "Highfield", "Springfield", "Low", "High", "Oak", "Beech", "Hollin", "Fold", "Clough",
            "Dale", "Green", "Wellington", "Carr", "Town", "Lidget", "Ings", "Royd", "Sycamore", "Hawthorn",
            "Primrose", "Heaton", "Cross", "Bank", "Holme", "Denby", "Netherfield", "Marsh", "Scar", "Birch");
    private static final List<String> STREET_KINDS = List.of(
            "Road", "Street", "Lane", "Avenue", "Terrace", "Close", "Crescent", "Grove", "Drive", "Court", "Way", "View");
    private static final String INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

    private Places() {
    }

    /** The area of an authority; {@link IllegalArgumentException} for an unknown one. */
    public static Area area(String authority) {
        for (Area a : AREAS) {
            if (a.authority().equals(authority)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown authority");
    }

    /** A street address line such as {@code 14 Moorside Terrace}. */
    public static String streetLine(Random rnd) {
        int number = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 300 : 120);
        String line = number + " " + pick(rnd, STREETS) + " " + pick(rnd, STREET_KINDS);
        return rnd.nextInt(12) == 0 ? "Flat " + (1 + rnd.nextInt(24)) + ", " + line : line;
    }

    /** A well-formed postcode in the district, such as {@code BD7 1DP}. */
    public static String postcode(Random rnd, String district) {
        return district + " " + rnd.nextInt(10)
                + INWARD_LETTERS.charAt(rnd.nextInt(INWARD_LETTERS.length()))
                + INWARD_LETTERS.charAt(rnd.nextInt(INWARD_LETTERS.length()));
    }

    /** A community drawn with the area's weights. */
    public static Community community(Random rnd, Area area) {
        int total = 0;
        for (Community c : Community.values()) {
            total += area.mix().getOrDefault(c, 0);
        }
        int roll = rnd.nextInt(total);
        for (Community c : Community.values()) {
            roll -= area.mix().getOrDefault(c, 0);
            if (roll < 0) {
                return c;
            }
        }
        return Community.WHITE_BRITISH;
    }

    public static <T> T pick(Random rnd, List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }
}
