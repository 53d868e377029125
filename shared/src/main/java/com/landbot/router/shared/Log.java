package com.landbot.router.shared;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One structured line per event: {@code {"event":"message.accepted","messageId":"..."}}.
 * Lines carry ids, statuses and error classes, never a customer's description or a secret,
 * so logs can be shipped anywhere. In Lambda the runtime logger adds level and request id
 * (the template sets JSON log format); elsewhere it prints to stdout.
 */
public final class Log {

    private Log() {
    }

    public static void info(String event, Object... keyValues) {
        emit(LogLevel.INFO, event, keyValues);
    }

    public static void warn(String event, Object... keyValues) {
        emit(LogLevel.WARN, event, keyValues);
    }

    public static void error(String event, Object... keyValues) {
        emit(LogLevel.ERROR, event, keyValues);
    }

    private static void emit(LogLevel level, String event, Object... keyValues) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object value = keyValues[i + 1];
            line.put(String.valueOf(keyValues[i]), value instanceof Throwable t ? describe(t) : value);
        }
        LambdaRuntime.getLogger().log(Json.write(line) + "\n", level);
    }

    /**
     * The fields every line about a message carries: id, topic, channel, status, attempt (never the description),
     * followed by the given key/value pairs.
     */
    public static Object[] about(Message message, MessageStatus status, Object... more) {
        return join(new Object[] {"messageId", message.id(), "topic", message.topic(), "channel", message.channel(),
                "status", status, "attempt", message.attempts()}, more);
    }

    /**
     * A message known only from its queue body, before the table is read: id, topic, channel and the SQS receive
     * count, followed by the given key/value pairs.
     */
    public static Object[] about(QueuedMessage queued, int receiveCount, Object... more) {
        return join(new Object[] {"messageId", queued.id(), "topic", queued.topic(), "channel", queued.channel(),
                "receiveCount", receiveCount}, more);
    }

    private static Object[] join(Object[] base, Object[] more) {
        Object[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** {@link #about(Message, MessageStatus, Object...)} with the message's own status. */
    public static Object[] about(Message message, Object... more) {
        return about(message, message.status(), more);
    }

    /** An exception's class and message only: stack traces of SDK errors add noise, not facts. */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + message;
    }
}
