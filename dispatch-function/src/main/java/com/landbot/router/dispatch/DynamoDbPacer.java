package com.landbot.router.dispatch;

import com.landbot.router.shared.Destination;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link Pacer} on the pacing table (template.yaml, {@code PacingTable}): one row per destination holding
 * {@code nextFreeAt} (the row is keyed by the destination's name, {@code slack:<webhook secret>}, {@code email:ses}), the epoch millisecond from which the destination is free. Booking is one conditional
 * UpdateItem, whichever of two cases holds:
 * <ul>
 *   <li>busy ({@code nextFreeAt >= now}): {@code nextFreeAt += interval}, an atomic add, so concurrent dispatchers
 *       each get their own slot without retrying; the slot is the value before the add;</li>
 *   <li>free (no row, or {@code nextFreeAt < now}): {@code nextFreeAt = now + interval}; the slot is now.</li>
 * </ul>
 * Each write's condition is its case, so a write made on a stale guess fails and the other case is tried: never a
 * lost or shared slot. The guess is the last value this container saw, so the usual cost is one write per send.
 * Rows expire (TTL on {@code expiresAt}) a day after a destination's last slot.
 */
public final class DynamoDbPacer implements Pacer {

    static final String DESTINATION = "destination";
    static final String NEXT_FREE_AT = "nextFreeAt";
    static final String EXPIRES_AT = "expiresAt";
    private static final Duration ROW_LIFETIME = Duration.ofDays(1);
    /** Each failed write means another dispatcher moved the row in between; a few in a row is extraordinary. */
    private static final int MAX_WRITES = 6;

    private final DynamoDbClient dynamo;
    private final String tableName;
    /** The last {@code nextFreeAt} seen per destination: which case to try first. */
    private final Map<Destination, Long> lastSeen = new ConcurrentHashMap<>();

    public DynamoDbPacer(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    @Override
    public Instant book(Destination destination, Duration interval, Instant now) {
        if (interval.isZero() || interval.isNegative()) {
            return now;
        }
        long nowMs = now.toEpochMilli();
        long intervalMs = interval.toMillis();
        Long seen = lastSeen.get(destination);
        boolean busy = seen != null && seen >= nowMs;
        for (int write = 0; write < MAX_WRITES; write++) {
            try {
                long slot = busy ? bookBusy(destination, nowMs, intervalMs) : bookFree(destination, nowMs, intervalMs);
                lastSeen.put(destination, slot + intervalMs);
                return Instant.ofEpochMilli(slot);
            } catch (ConditionalCheckFailedException e) {
                busy = !busy;
            }
        }
        throw new IllegalStateException("could not book a slot at " + destination + " in " + MAX_WRITES + " writes");
    }

    private long bookBusy(Destination destination, long nowMs, long intervalMs) {
        Map<String, AttributeValue> updated = dynamo.updateItem(UpdateItemRequest.builder()
                .tableName(tableName)
                .key(Map.of(DESTINATION, AttributeValue.fromS(destination.toString())))
                .updateExpression("SET #next = #next + :interval, #expires = :expires")
                .conditionExpression("#next >= :now")
                .expressionAttributeNames(Map.of("#next", NEXT_FREE_AT, "#expires", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":interval", n(intervalMs), ":now", n(nowMs),
                        ":expires", n(expiresAt(nowMs))))
                .returnValues(ReturnValue.UPDATED_NEW)
                .build()).attributes();
        return Long.parseLong(updated.get(NEXT_FREE_AT).n()) - intervalMs;
    }

    private long bookFree(Destination destination, long nowMs, long intervalMs) {
        dynamo.updateItem(UpdateItemRequest.builder()
                .tableName(tableName)
                .key(Map.of(DESTINATION, AttributeValue.fromS(destination.toString())))
                .updateExpression("SET #next = :next, #expires = :expires")
                .conditionExpression("attribute_not_exists(#next) OR #next < :now")
                .expressionAttributeNames(Map.of("#next", NEXT_FREE_AT, "#expires", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":next", n(nowMs + intervalMs), ":now", n(nowMs),
                        ":expires", n(expiresAt(nowMs))))
                .build());
        return nowMs;
    }

    @Override
    public void pause(Destination destination, Instant until) {
        long untilMs = until.toEpochMilli();
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(tableName)
                    .key(Map.of(DESTINATION, AttributeValue.fromS(destination.toString())))
                    .updateExpression("SET #next = :until, #expires = :expires")
                    .conditionExpression("attribute_not_exists(#next) OR #next < :until")
                    .expressionAttributeNames(Map.of("#next", NEXT_FREE_AT, "#expires", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":until", n(untilMs), ":expires", n(expiresAt(untilMs))))
                    .build());
            lastSeen.put(destination, untilMs);
        } catch (ConditionalCheckFailedException e) {
            // Already free no earlier than that: nothing to move.
        }
    }

    private static long expiresAt(long epochMs) {
        return (epochMs + ROW_LIFETIME.toMillis()) / 1000;
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
