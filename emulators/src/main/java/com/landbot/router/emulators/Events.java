package com.landbot.router.emulators;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Event fixtures from {@code events/}, read and written with the serializer the Lambda Java runtime uses for
 * aws-lambda-java-events types (what Lambda's tooling and the runtime interface client mean by these types). The
 * functions themselves read events with shared {@code Json}; LambdaEventsJsonTest shows both read them alike.
 */
public final class Events {

    private Events() {
    }

    public static Path file(String name) {
        return ProjectPaths.events().resolve(name);
    }

    public static String json(String name) {
        try {
            return Files.readString(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T load(String name, Class<T> type) {
        return fromJson(json(name), type);
    }

    public static <T> T fromJson(String json, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, Events.class.getClassLoader());
        try (InputStream in = new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))) {
            return serializer.fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> String toJson(T value, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, Events.class.getClassLoader());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(value, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
