package uk.wycps.record;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A Java record read straight from the parser, for the project's records in register answers
 * (issue 21): each property found by its name among the record's components, a key seen twice
 * in one object refused by a bit per component, the canonical constructor called once. Jackson's
 * own binding of a record buffers every property and looks each up in a map, and the parser's
 * duplicate-key check keeps a hash set of names for every object of three keys or more; reading
 * register answers was the largest share of the gateway's CPU. The strictness is the same
 * ({@code RecordDeserializerTest} compares the two readers over generated answers, broken ones
 * included): unknown properties, repeated keys and a wrong token for a record are refused, every
 * value that is not a record is read by Jackson's own deserializer for its type, an absent
 * property is null, and what the record's constructor refuses is refused.
 *
 * <p>Only for types whose every object is a record of this project
 * ({@link RecordJson#recordReader}), because the parser's own duplicate check is off for them.
 */
final class RecordDeserializer extends StdDeserializer<Object> implements ResolvableDeserializer {

    private static final long serialVersionUID = 1L;

    private final String[] names;
    private final transient Type[] types;
    private final transient MethodHandle constructor;
    private transient JsonDeserializer<Object>[] values;

    private RecordDeserializer(Class<?> type) {
        super(type);
        RecordComponent[] components = type.getRecordComponents();
        if (components.length > Long.SIZE) {
            throw new IllegalArgumentException(type + " has more components than this reader tracks");
        }
        names = new String[components.length];
        types = new Type[components.length];
        Class<?>[] raw = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName().intern();
            types[i] = components[i].getGenericType();
            raw[i] = components[i].getType();
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(raw);
            canonical.setAccessible(true);
            constructor = MethodHandles.lookup().unreflectConstructor(canonical)
                    .asSpreader(Object[].class, components.length);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no canonical constructor for " + type, e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void resolve(DeserializationContext ctxt) throws JsonMappingException {
        JsonDeserializer<Object>[] found = new JsonDeserializer[types.length];
        for (int i = 0; i < types.length; i++) {
            found[i] = ctxt.findContextualValueDeserializer(ctxt.getTypeFactory().constructType(types[i]), null);
        }
        values = found;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            t = p.nextToken();
        } else if (t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT) {
            return ctxt.handleUnexpectedToken(handledType(), p);
        }
        Object[] args = new Object[names.length];
        long seen = 0;
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            int i = indexOf(name);
            if (i < 0) {
                throw UnrecognizedPropertyException.from(p, handledType(), name, Arrays.asList((Object[]) names));
            }
            if ((seen & (1L << i)) != 0) {
                // the words of the parser's own check, so that callers see one message for both
                throw new JsonParseException(p, "Duplicate field '" + name + "'");
            }
            seen |= 1L << i;
            JsonToken value = p.nextToken();
            args[i] = value == JsonToken.VALUE_NULL ? values[i].getNullValue(ctxt) : values[i].deserialize(p, ctxt);
        }
        if (t != JsonToken.END_OBJECT) {
            return ctxt.handleUnexpectedToken(handledType(), p);
        }
        try {
            return constructor.invoke(args);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw JsonMappingException.from(p, "Cannot construct " + handledType().getSimpleName() + ": " + e, e);
        }
    }

    /** Names from the parser are interned, so they are found by identity; by equality otherwise. */
    private int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The module that reads {@code root} and every type reachable from it this way; fails unless
     * each of those is a record of this project, a list of one, or a value Jackson reads without
     * objects of its own (strings, booleans, numbers, dates, instants, enumerations).
     */
    static SimpleModule moduleFor(Class<?> root) {
        Set<Class<?>> records = new java.util.HashSet<>();
        collect(root, records, new ArrayList<>());
        SimpleModule module = new SimpleModule("strict-records");
        module.setDeserializers(new SimpleDeserializers() {
            private static final long serialVersionUID = 1L;

            @Override
            public JsonDeserializer<?> findBeanDeserializer(JavaType type, DeserializationConfig config,
                    BeanDescription beanDesc) {
                return records.contains(type.getRawClass()) ? new RecordDeserializer(type.getRawClass()) : null;
            }
        });
        return module;
    }

    private static void collect(Type type, Set<Class<?>> records, List<String> path) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class) {
            collect(parameterized.getActualTypeArguments()[0], records, path);
            return;
        }
        if (!(type instanceof Class<?> c)) {
            throw new IllegalArgumentException("not read as a record: " + type + " at " + path);
        }
        if (c == String.class || c == Boolean.class || c == Integer.class || c == Long.class || c == LocalDate.class
                || c == java.time.Instant.class || c.isEnum()) {
            return;
        }
        if (!c.isRecord() || !c.getName().startsWith("uk.wycps.")) {
            throw new IllegalArgumentException("not read as a record: " + c.getName() + " at " + path);
        }
        if (!records.add(c)) {
            return;
        }
        for (RecordComponent component : c.getRecordComponents()) {
            path.add(component.getName());
            collect(component.getGenericType(), records, path);
            path.remove(path.size() - 1);
        }
    }
}
