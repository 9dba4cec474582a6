package uk.wycps.gateway.api;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.OutputStream;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** The JSON body of a request, or the 415 / 400 that says why there is none. */
final class JsonBodies {

    private JsonBodies() {
    }

    static Buffer require(RoutingContext ctx) {
        if (!isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            throw new ApiException(415, "unsupported-media-type", "Send the body as application/json.", null);
        }
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw ApiException.badRequest("malformed-json", "The body is empty.", "$");
        }
        return body;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    /**
     * {@code value} as JSON, written by Jackson straight into the buffer that is sent:
     * {@code writeValueAsBytes} would build an array and {@code Buffer.buffer(byte[])} copy it again.
     */
    static Buffer encode(ObjectWriter writer, Object value) throws IOException {
        ByteBuf bytes = Unpooled.buffer(8192);
        try (OutputStream out = new ByteBufOutputStream(bytes)) {
            writer.writeValue(out, value);
        }
        return BufferInternal.buffer(bytes);
    }

    /** Sends a JSON answer that must not be cached. */
    static void send(RoutingContext ctx, Buffer json) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(json);
    }
}
