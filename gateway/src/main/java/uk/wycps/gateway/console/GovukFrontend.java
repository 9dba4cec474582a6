package uk.wycps.gateway.console;

/** The GOV.UK Frontend webjar the console serves (the parent pom's govuk-frontend.version). */
final class GovukFrontend {

    /** Must equal the parent pom's {@code govuk-frontend.version}; a test checks the files are there. */
    static final String VERSION = "5.14.0";

    private GovukFrontend() {
    }
}
