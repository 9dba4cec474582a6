package uk.wycps.policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The protocol's rules over a field classification and each role's maximum tier.
 *
 * <p>The effective tier for a source register (A4): social services staff of that register's
 * own authority get their role's tier; everyone else gets ANONYMISED unless the token grants
 * {@code cross-authority:<authority>} (or {@code *}), when they get their role's tier. A field
 * is allowed when its tier is within the effective tier; the Schedule One indicator also needs
 * agency social services and the {@code schedule-one} grant (A6).
 */
public final class ProtocolPolicy implements SharingPolicy {

    private final String id;
    private final String version;
    private final Map<String, Tier> fieldTiers;
    private final Map<Role, Tier> roleTiers;
    private final Set<String> authorities;
    private final String scheduleOneField;

    public ProtocolPolicy(String id, String version, Map<String, Tier> fieldTiers, Map<Role, Tier> roleTiers,
            Set<String> authorities, String scheduleOneField) {
        this.id = Objects.requireNonNull(id, "id");
        this.version = Objects.requireNonNull(version, "version");
        this.fieldTiers = Map.copyOf(fieldTiers);
        this.roleTiers = new EnumMap<>(roleTiers);
        this.authorities = Set.copyOf(authorities);
        this.scheduleOneField = scheduleOneField;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public EnquiryPermission permitEnquiry(Caller caller, Declaration declaration) {
        if (declaration.purpose() == Purpose.PLANNING) {
            return EnquiryPermission.refuse("purpose-not-permitted",
                    "Planning, policy and resource management use anonymised statistics only, never a named enquiry.",
                    new Reason("planning-statistics-only", "P3", "purpose planning permits statistics only"));
        }
        Tier max = roleTiers.get(caller.role());
        if (max == null || max == Tier.ANONYMISED) {
            return EnquiryPermission.refuse("role-not-permitted",
                    "Role " + caller.role().code() + " may not make named enquiries.",
                    new Reason("role-max-tier", "A8", "role " + caller.role().code() + " has no person-level tier"));
        }
        if (caller.authority() != null && !authorities.contains(caller.authority())) {
            return EnquiryPermission.refuse("authority-unknown", "The caller's authority is not part of this federation.",
                    new Reason("known-authorities", "A8", "unknown home authority"));
        }
        return EnquiryPermission.permit(List.of(
                new Reason("role-max-tier", "A4", "role " + caller.role().code() + " may see up to " + max)));
    }

    @Override
    public AccessDecision decide(Caller caller, Declaration declaration, String sourceAuthority) {
        List<Reason> reasons = new ArrayList<>();
        Tier tier = effectiveTier(caller, declaration, sourceAuthority, reasons);
        Set<String> allowed = new LinkedHashSet<>();
        Set<String> withheld = new LinkedHashSet<>();
        if (tier != Tier.ANONYMISED) {
            for (Map.Entry<String, Tier> field : fieldTiers.entrySet()) {
                boolean ok = tier.includes(field.getValue());
                if (ok && field.getKey().equals(scheduleOneField)) {
                    ok = caller.agency() == Agency.SOCIAL_SERVICES && caller.grantedScheduleOne();
                    if (!ok) {
                        reasons.add(new Reason("schedule-one", "A6",
                                "the Schedule One indicator goes only to authorised social services"));
                    }
                }
                (ok ? allowed : withheld).add(field.getKey());
            }
        }
        return new AccessDecision(sourceAuthority, tier, allowed, withheld, reasons);
    }

    private Tier effectiveTier(Caller caller, Declaration declaration, String source, List<Reason> reasons) {
        if (!authorities.contains(source)) {
            reasons.add(new Reason("known-authorities", "A8", "unknown source authority"));
            return Tier.ANONYMISED;
        }
        if (declaration.purpose() == Purpose.PLANNING) {
            reasons.add(new Reason("planning-statistics-only", "P3", "purpose planning permits statistics only"));
            return Tier.ANONYMISED;
        }
        Tier max = roleTiers.getOrDefault(caller.role(), Tier.ANONYMISED);
        boolean ownAuthority = caller.agency() == Agency.SOCIAL_SERVICES && source.equals(caller.authority());
        if (ownAuthority) {
            reasons.add(new Reason("own-authority", "A4",
                    "social services of " + source + ": up to the role's tier, " + max));
            return max;
        }
        if (caller.grantedCrossAuthority(source)) {
            reasons.add(new Reason("cross-authority-grant", "A4",
                    "token grants access to " + source + ": up to the role's tier, " + max));
            return max;
        }
        reasons.add(new Reason("other-authority-anonymised", "A4",
                "not social services of " + source + " and no cross-authority grant for it: anonymised only"));
        return Tier.ANONYMISED;
    }
}
