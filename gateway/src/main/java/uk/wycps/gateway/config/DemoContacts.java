package uk.wycps.gateway.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The demo's five advice contacts (F6). Synthetic: every telephone number is in Ofcom's range
 * kept for drama (01632 960000 to 960999), which is never allocated to a real line, and every
 * email is at {@code example.org}, which is reserved and never delivers. Never use them for
 * anything but the demo and tests.
 */
public final class DemoContacts {

    private static final Map<String, RegisterContact> CONTACTS;

    static {
        Map<String, RegisterContact> c = new LinkedHashMap<>();
        c.put("bradford", new RegisterContact("Bradford Children's Services Front Door (advice line)",
                "01632 960101", "01632 960102", "cp-advice@bradford.example.org"));
        c.put("calderdale", new RegisterContact("Calderdale Multi-Agency Screening Team",
                "01632 960201", "01632 960202", "cp-advice@calderdale.example.org"));
        c.put("kirklees", new RegisterContact("Kirklees Duty and Advice Team",
                "01632 960301", "01632 960302", "cp-advice@kirklees.example.org"));
        c.put("leeds", new RegisterContact("Leeds Child Protection Co-ordination Unit",
                "01632 960401", "01632 960402", "cp-advice@leeds.example.org"));
        c.put("wakefield", new RegisterContact("Wakefield Integrated Front Door",
                "01632 960501", "01632 960502", "cp-advice@wakefield.example.org"));
        CONTACTS = Map.copyOf(c);
    }

    private DemoContacts() {
    }

    /** The contacts of the five demo authorities, by authority. */
    public static Map<String, RegisterContact> all() {
        return CONTACTS;
    }
}
