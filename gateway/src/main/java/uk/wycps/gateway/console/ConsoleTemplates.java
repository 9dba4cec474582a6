package uk.wycps.gateway.console;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.common.template.TemplateEngine;
import io.vertx.ext.web.templ.pebble.PebbleTemplateEngine;
import java.util.List;

/**
 * The console's templates: Pebble (vertx-web-templ-pebble), chosen because it escapes every
 * value for HTML by default (a name typed into the form cannot become markup), has template
 * inheritance for one GOV.UK layout, and reads like the Nunjucks of GOV.UK Frontend's own
 * examples. Templates are read from the jar and compiled once, on a worker thread at start-up,
 * so rendering on the event loop never touches the disk.
 */
public final class ConsoleTemplates {

    static final List<String> NAMES = List.of("layout", "sign-in", "signed-in", "home", "enquiry", "enquiry-fields",
            "answer", "answer-body", "print", "audit", "statistics", "problem");

    private ConsoleTemplates() {
    }

    public static Future<TemplateEngine> create(Vertx vertx) {
        PebbleEngine pebble = new PebbleEngine.Builder()
                .loader(new ClasspathLoader(ConsoleTemplates.class.getClassLoader()))
                .autoEscaping(true)
                .strictVariables(false)
                .cacheActive(true)
                .build();
        return vertx.executeBlocking(() -> {
            for (String name : NAMES) {
                pebble.getTemplate("console/templates/" + name + ".peb");
            }
            return (TemplateEngine) PebbleTemplateEngine.create(vertx, pebble);
        }, false);
    }
}
