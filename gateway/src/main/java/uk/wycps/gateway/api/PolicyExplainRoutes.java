package uk.wycps.gateway.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import uk.wycps.gateway.auth.TokenVerifier;
import uk.wycps.gateway.enquiry.EnquiryParser;
import uk.wycps.policy.AccessDecision;
import uk.wycps.policy.Caller;
import uk.wycps.policy.EnquiryPermission;
import uk.wycps.policy.Reason;
import uk.wycps.policy.SharingPolicy;

/**
 * {@code POST /api/v1/policy/explain}: for the calling token and a declaration (purpose and
 * consent, optionally registers), what the caller would receive from each register and why.
 * It asks no register anything, so it reveals nothing about any child.
 */
public final class PolicyExplainRoutes {

    private final TokenVerifier tokens;
    private final EnquiryParser parser;
    private final SharingPolicy policy;

    public PolicyExplainRoutes(TokenVerifier tokens, EnquiryParser parser, SharingPolicy policy) {
        this.tokens = tokens;
        this.parser = parser;
        this.policy = policy;
    }

    public void handle(RoutingContext ctx) {
        tokens.verify(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))
                .map(caller -> explain(caller, parser.parseExplain(JsonBodies.require(ctx))))
                .onSuccess(json -> JsonBodies.send(ctx, json.toBuffer()))
                .onFailure(e -> {
                    if (e instanceof ApiException api) {
                        ErrorResponses.send(ctx, api);
                    } else {
                        ctx.fail(e);
                    }
                });
    }

    private JsonObject explain(Caller caller, EnquiryParser.ExplainRequest request) {
        EnquiryPermission permission = policy.permitEnquiry(caller, request.declaration());
        JsonArray registers = new JsonArray();
        for (String authority : request.registers()) {
            AccessDecision d = policy.decide(caller, request.declaration(), authority);
            registers.add(new JsonObject()
                    .put("authority", authority)
                    .put("tier", d.tier().name())
                    .put("recordsVisible", permission.permitted() && d.recordsVisible())
                    .put("allowedFields", sorted(d.allowedFields()))
                    .put("withheldFields", sorted(d.withheldFields()))
                    // A10: what a shielded record, and a record linked with one, would release.
                    .put("ifShielded", fieldSets(d, AccessDecision.Shielding.SHIELDED))
                    .put("ifLinkedToShielded", fieldSets(d, AccessDecision.Shielding.LINKED_TO_SHIELDED))
                    .put("reasons", reasons(d.reasons())));
        }
        JsonObject answer = new JsonObject()
                .put("policy", new JsonObject().put("id", policy.id()).put("version", policy.version()))
                .put("caller", new JsonObject()
                        .put("role", caller.role().code())
                        .put("agency", caller.agency().code())
                        .put("authority", caller.authority())
                        .put("authorisations", sorted(caller.authorisations())))
                .put("enquiryPermitted", permission.permitted())
                .put("reasons", reasons(permission.reasons()));
        if (!permission.permitted()) {
            answer.put("refusal", new JsonObject().put("code", permission.code()).put("message", permission.message()));
        }
        return answer.put("registers", registers);
    }

    private static JsonObject fieldSets(AccessDecision d, AccessDecision.Shielding shielding) {
        return new JsonObject().put("allowedFields", sorted(d.allowedFields(shielding)))
                .put("withheldFields", sorted(d.withheldFields(shielding)));
    }

    private static JsonArray sorted(java.util.Collection<String> values) {
        return new JsonArray(values.stream().sorted().toList());
    }

    private static JsonArray reasons(List<Reason> reasons) {
        JsonArray array = new JsonArray();
        for (Reason r : reasons) {
            array.add(new JsonObject().put("rule", r.rule()).put("requirement", r.requirement())
                    .put("explanation", r.explanation()));
        }
        return array;
    }
}
