package uk.wycps.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;
import uk.wycps.gateway.api.ApiException;
import uk.wycps.policy.Agency;
import uk.wycps.policy.Caller;
import uk.wycps.policy.Role;

/**
 * The verified claims of a token (a bearer token, or the console's OpenID Connect ID token)
 * as a {@link Caller} (A2): one mapping for both, so the API and the console decide alike.
 */
public final class CallerClaims {

    private static final Pattern GRANT = Pattern.compile("cross-authority:([a-z][a-z0-9-]{1,39}|\\*)|schedule-one");

    private CallerClaims() {
    }

    /**
     * The caller named {@code sub}, with the role, agency, authority and grants the claims carry.
     * 403 for a role, agency or authority the federation does not know (A8); 401 for a malformed
     * claim. Unknown grants grant nothing.
     */
    public static Future<Caller> caller(String sub, JsonObject claims, Set<String> authorities) {
        if (!(claims.getValue("role") instanceof String roleCode) || !(claims.getValue("agency") instanceof String agencyCode)) {
            return Future.failedFuture(ApiException.unauthorized("The token must carry role and agency."));
        }
        Role role = Role.fromCode(roleCode).orElse(null);
        Agency agency = Agency.fromCode(agencyCode).orElse(null);
        if (role == null || agency == null) {
            // Deny by default (A8): a role or agency the protocol does not know gets nothing.
            return Future.failedFuture(ApiException.forbidden("unknown-role-or-agency",
                    "The token's role or agency is not one the protocol knows."));
        }
        Object authorityClaim = claims.getValue("authority");
        String authority = null;
        if (authorityClaim != null) {
            if (!(authorityClaim instanceof String a) || !authorities.contains(a)) {
                return Future.failedFuture(ApiException.forbidden("unknown-authority",
                        "The token's authority is not part of this federation."));
            }
            authority = a;
        }
        Object grants = claims.getValue("authorisations");
        Set<String> authorisations = new LinkedHashSet<>();
        if (grants != null) {
            if (!(grants instanceof JsonArray array)) {
                return Future.failedFuture(ApiException.unauthorized("The token's authorisations must be a list."));
            }
            for (Object g : array) {
                // Grants the gateway does not know are ignored: they grant nothing (A8).
                if (g instanceof String s && GRANT.matcher(s).matches()) {
                    authorisations.add(s);
                }
            }
        }
        return Future.succeededFuture(new Caller(sub, role, agency, authority, authorisations));
    }
}
