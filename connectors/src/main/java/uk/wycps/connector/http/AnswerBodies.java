package uk.wycps.connector.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;

/**
 * Reads a register's answer body with Jackson straight from the bytes the HTTP client received:
 * {@code Buffer.getBytes()} would copy every answer once more before parsing it.
 */
public final class AnswerBodies {

    private AnswerBodies() {
    }

    /** The body as {@code reader}'s type; the reader's strictness applies unchanged. */
    public static <T> T read(ObjectReader reader, Buffer body) throws IOException {
        ByteBuf bytes = heapBytes(body);
        return bytes == null ? reader.readValue(body.getBytes())
                : reader.readValue(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
    }

    /** The body as a JSON tree. */
    public static JsonNode readTree(ObjectReader reader, Buffer body) throws IOException {
        ByteBuf bytes = heapBytes(body);
        return bytes == null ? reader.readTree(body.getBytes())
                : reader.readTree(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
    }

    /** The buffer's own bytes (a view, not a copy) when they are in an array; null otherwise. */
    private static ByteBuf heapBytes(Buffer body) {
        ByteBuf bytes = body instanceof BufferInternal internal ? internal.getByteBuf() : null;
        return bytes != null && bytes.hasArray() ? bytes : null;
    }
}
