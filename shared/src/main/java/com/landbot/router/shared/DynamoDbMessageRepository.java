package com.landbot.router.shared;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** {@link MessageRepository} on a DynamoDB table keyed by {@code id} (see {@code MessagesTable} in template.yaml). */
public final class DynamoDbMessageRepository implements MessageRepository {

    // Attribute names: the table's schema, in one place.
    public static final String ID = "id";
    static final String TOPIC = "topic";
    static final String CHANNEL = "channel";
    static final String DESCRIPTION = "description";
    static final String STATUS = "status";
    static final String ATTEMPTS = "attempts";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    static final String QUEUED_AT = "queuedAt";
    static final String SENT_AT = "sentAt";
    static final String LAST_ERROR = "lastError";
    static final String DELIVERY_ID = "deliveryId";
    /** A list of maps, one per attempt, oldest first ({@link DeliveryAttempt}); the last {@value DeliveryAttempt#HISTORY_LIMIT}. */
    static final String HISTORY = "history";
    static final String RETRY_REQUESTED_AT = "retryRequestedAt";
    // The attributes of one history entry.
    static final String ATTEMPT_AT = "at";
    static final String ATTEMPT_CHANNEL = "channel";
    static final String ATTEMPT_DESTINATION = "destination";
    static final String ATTEMPT_OUTCOME = "outcome";
    static final String ATTEMPT_ERROR = "error";
    static final String ATTEMPT_DURATION_MS = "durationMs";
    static final String ATTEMPT_DELIVERY_ID = "deliveryId";
    /** While a message waits for a send slot (Message.Waiting): the destination and the slot's time. */
    static final String WAITING_FOR = "waitingFor";
    static final String NEXT_ATTEMPT_AT = "nextAttemptAt";
    /** The attempt count when the message last ended ERROR: where the next round's attempt budget starts. */
    static final String ATTEMPTS_AT_ERROR = "attemptsAtError";
    /** Random per claim: only the invocation that claimed a message may record its outcome. */
    static final String CLAIM_TOKEN = "claimToken";
    /** Epoch milliseconds (a number, so the condition compares numbers, not strings of varying precision). */
    static final String CLAIM_EXPIRES_AT = "claimExpiresAt";

    /** What a message reads while its final attempt runs: true if that attempt never reports back. */
    public static final String FINAL_ATTEMPT_MARKER =
            "final delivery attempt did not complete: the dispatcher crashed or timed out";

    /**
     * The rule for taking a message for an attempt, or for marking it exhausted: it exists, it was not sent, and no
     * unexpired claim holds it. Needs {@code #id}, {@code #status}, {@code #expires}, {@code :sent}, {@code :nowMs}
     * ({@link #mayClaimNames}, {@link #mayClaimValues}).
     */
    private static final String MAY_CLAIM =
            "attribute_exists(#id) AND #status <> :sent AND (attribute_not_exists(#expires) OR #expires < :nowMs)";

    /** The messages table's global secondary index for listing by status (template.yaml, MessagesTable). */
    public static final String BY_STATUS_INDEX = "ByStatus";

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoDbMessageRepository(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    @Override
    public void rehearseWrites() {
        Instant now = Instant.now();
        Priming.rehearse(() -> create(Priming.sampleMessage("priming", now)));
        Priming.rehearse(() -> markQueued(Priming.SAMPLE_ID, now));
        Priming.rehearse(() -> claim(Priming.SAMPLE_ID, now, Duration.ofSeconds(1), false));
    }

    @Override
    public void create(Message message) {
        try {
            dynamo.putItem(PutItemRequest.builder()
                    .tableName(tableName)
                    .item(toItem(message))
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", ID))
                    .build());
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("message " + message.id() + " already exists", e);
        }
    }

    @Override
    public boolean markQueued(String id, Instant at) {
        return conditionalUpdate(id,
                "SET #status = :queued, #queuedAt = :at, #updatedAt = :at",
                "#status = :pending",
                Map.of("#status", STATUS, "#queuedAt", QUEUED_AT, "#updatedAt", UPDATED_AT),
                Map.of(":queued", s(MessageStatus.QUEUED.name()), ":pending", s(MessageStatus.PENDING.name()),
                        ":at", s(Timestamps.format(at))));
    }

    @Override
    public boolean deleteUnqueued(String id) {
        try {
            dynamo.deleteItem(DeleteItemRequest.builder()
                    .tableName(tableName)
                    .key(key(id))
                    .conditionExpression("#status = :pending")
                    .expressionAttributeNames(Map.of("#status", STATUS))
                    .expressionAttributeValues(Map.of(":pending", s(MessageStatus.PENDING.name())))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Message> find(String id) {
        return item(id).map(DynamoDbMessageRepository::fromItem);
    }

    private Optional<Map<String, AttributeValue>> item(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                        .tableName(tableName)
                        .key(key(id))
                        .consistentRead(true)
                        .build())
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * A Query of the {@value #BY_STATUS_INDEX} index (partition {@code status}, sort {@code createdAt}), newest first.
     * The cursor is the index's LastEvaluatedKey as base64url JSON; one that does not decode to a key of this
     * status is refused rather than silently restarting the listing.
     */
    @Override
    public MessagePage listByStatus(MessageStatus status, int limit, String cursor) {
        return listByStatus(status, MessageSelection.all(), limit, cursor);
    }

    /** The time range narrows the index's key condition; the topic is a filter (it is not part of the index). */
    @Override
    public MessagePage listByStatus(MessageStatus status, MessageSelection selection, int limit, String cursor) {
        Map<String, AttributeValue> start = cursor == null ? null : decodeCursor(cursor, status);
        Map<String, String> names = new HashMap<>(Map.of("#status", STATUS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", s(status.name())));
        String keyCondition = "#status = :status";
        if (selection.createdFrom() != null || selection.createdTo() != null) {
            names.put("#createdAt", CREATED_AT);
            // Timestamps sort as text; the upper bound is exclusive, so it is the last millisecond before it.
            values.put(":from", s(Timestamps.format(selection.createdFrom() == null ? Instant.EPOCH : selection.createdFrom())));
            values.put(":to", s(Timestamps.format(selection.createdTo() == null ? Instant.parse("9999-12-31T23:59:59.999Z")
                    : selection.createdTo().minusMillis(1))));
            keyCondition += " AND #createdAt BETWEEN :from AND :to";
        }
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(tableName)
                .indexName(BY_STATUS_INDEX)
                .keyConditionExpression(keyCondition)
                .scanIndexForward(false)
                .limit(limit)
                .exclusiveStartKey(start);
        if (selection.topic() != null) {
            names.put("#topic", TOPIC);
            values.put(":topic", s(selection.topic()));
            query.filterExpression("#topic = :topic");
        }
        QueryResponse page = dynamo.query(query.expressionAttributeNames(names).expressionAttributeValues(values).build());
        List<Message> messages = page.items().stream().map(DynamoDbMessageRepository::fromItem).toList();
        String next = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? encodeCursor(page.lastEvaluatedKey()) : null;
        return new MessagePage(messages, next);
    }

    /** A COUNT query of the index, page by page (each page reads up to 1 MB of index entries). */
    @Override
    public long countByStatus(MessageStatus status) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(QueryRequest.builder()
                    .tableName(tableName)
                    .indexName(BY_STATUS_INDEX)
                    .keyConditionExpression("#status = :status")
                    .expressionAttributeNames(Map.of("#status", STATUS))
                    .expressionAttributeValues(Map.of(":status", s(status.name())))
                    .select(Select.COUNT)
                    .exclusiveStartKey(start)
                    .build());
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    @Override
    public boolean requestRetry(String id, Instant at) {
        // A final attempt claims into ERROR and holds its lease while it runs: not a message to retry yet.
        return conditionalUpdate(id,
                "SET #status = :queued, #retryRequestedAt = :at, #queuedAt = :at, #updatedAt = :at",
                "#status = :error AND (attribute_not_exists(#expires) OR #expires < :nowMs)",
                Map.of("#status", STATUS, "#retryRequestedAt", RETRY_REQUESTED_AT, "#queuedAt", QUEUED_AT,
                        "#updatedAt", UPDATED_AT, "#expires", CLAIM_EXPIRES_AT),
                Map.of(":queued", s(MessageStatus.QUEUED.name()), ":error", s(MessageStatus.ERROR.name()),
                        ":at", s(Timestamps.format(at)), ":nowMs", n(at.toEpochMilli())));
    }

    @Override
    public boolean withdrawRetry(String id, Instant requestedAt) {
        return conditionalUpdate(id,
                "SET #status = :error",
                "#status = :queued AND #retryRequestedAt = :at",
                Map.of("#status", STATUS, "#retryRequestedAt", RETRY_REQUESTED_AT),
                Map.of(":queued", s(MessageStatus.QUEUED.name()), ":error", s(MessageStatus.ERROR.name()),
                        ":at", s(Timestamps.format(requestedAt))));
    }

    private static String encodeCursor(Map<String, AttributeValue> key) {
        Map<String, String> plain = new TreeMap<>();
        key.forEach((name, value) -> plain.put(name, value.s()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(plain).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> decodeCursor(String cursor, MessageStatus status) {
        Map<String, Object> plain;
        try {
            plain = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(cursor), new TypeReference<Map<String, Object>>() { });
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalArgumentException("cursor is not one this listing gave out");
        }
        if (plain == null || !plain.keySet().equals(Set.of(ID, STATUS, CREATED_AT))
                || !plain.values().stream().allMatch(String.class::isInstance)
                || !status.name().equals(plain.get(STATUS))) {
            throw new IllegalArgumentException("cursor is not one this listing gave out (or belongs to another status)");
        }
        // DynamoDB's key rules (moto does not apply them; DynamoDB answers a ValidationException, our 503):
        // a string key is not empty, a partition key at most 2048 bytes of UTF-8, a sort key at most 1024.
        if (!withinKeyLimit(plain.get(ID), 2048) || !withinKeyLimit(plain.get(STATUS), 2048)
                || !withinKeyLimit(plain.get(CREATED_AT), 1024)) {
            throw new IllegalArgumentException("cursor is not one this listing gave out (its key is not a valid DynamoDB key)");
        }
        Map<String, AttributeValue> key = new HashMap<>();
        plain.forEach((name, value) -> key.put(name, s((String) value)));
        return key;
    }

    private static boolean withinKeyLimit(Object value, int maxBytes) {
        String text = (String) value;
        return !text.isEmpty() && text.getBytes(StandardCharsets.UTF_8).length <= maxBytes;
    }

    @Override
    public Claim claim(String id, Instant now, Duration lease, boolean finalAttempt) {
        String token = UUID.randomUUID().toString();
        MessageStatus status = finalAttempt ? MessageStatus.ERROR : MessageStatus.SENDING;
        Map<String, String> names = mayClaimNames();
        names.putAll(Map.of("#attempts", ATTEMPTS, "#token", CLAIM_TOKEN, "#updatedAt", UPDATED_AT,
                "#waitingFor", WAITING_FOR, "#nextAttemptAt", NEXT_ATTEMPT_AT));
        Map<String, AttributeValue> values = mayClaimValues(now);
        values.putAll(Map.of(
                ":status", s(status.name()),
                ":zero", n(0),
                ":one", n(1),
                ":token", s(token),
                ":until", n(now.plus(lease).toEpochMilli()),
                ":now", s(Timestamps.format(now))));
        String update = "SET #status = :status, #attempts = if_not_exists(#attempts, :zero) + :one, "
                + "#token = :token, #expires = :until, #updatedAt = :now";
        if (finalAttempt) {
            update += ", #lastError = :marker, #atError = if_not_exists(#attempts, :zero) + :one";
            names.put("#lastError", LAST_ERROR);
            names.put("#atError", ATTEMPTS_AT_ERROR);
            values.put(":marker", s(FINAL_ATTEMPT_MARKER));
        }
        // The slot the message waited for is used by this claim (the returned message still carries it), so the
        // table stops showing it: a SENT or failed message is not waiting.
        update += " REMOVE #waitingFor, #nextAttemptAt";
        Map<String, AttributeValue> old;
        try {
            old = dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(tableName)
                    .key(key(id))
                    .updateExpression(update)
                    .conditionExpression(MAY_CLAIM)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_OLD)
                    // Why it may not be claimed comes with the refusal: no second round trip to read the item.
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build()).attributes();
        } catch (ConditionalCheckFailedException e) {
            // No item with the refusal: the message does not exist, or the endpoint ignores the parameter. Calling
            // a live message an orphan would drop it, so that rare case pays one read to be sure.
            Optional<Map<String, AttributeValue>> item = e.hasItem() && !e.item().isEmpty() ? Optional.of(e.item()) : item(id);
            if (item.isEmpty()) {
                return new Claim.NotFound();
            }
            Message current = fromItem(item.get());
            if (!finalAttempt && token.equals(string(item.get(), CLAIM_TOKEN))) {
                // Our own lease: the SDK retried this write (AwsClients' attempt timeout) after its first try was
                // applied and the answer lost. It is this call's claim; calling it Busy would count an attempt
                // that never runs. (A final claim rewrites lastError and the round's start, which cannot be read
                // back here: it stays Busy, and the message, already ERROR, goes to the DLQ on its next receive.)
                int atError = item.get().containsKey(ATTEMPTS_AT_ERROR) ? Integer.parseInt(item.get().get(ATTEMPTS_AT_ERROR).n()) : 0;
                return new Claim.Claimed(current, token, current.lastError(), current.attempts() - atError);
            }
            return current.status() == MessageStatus.SENT
                    ? new Claim.AlreadySent(current)
                    : new Claim.Busy(current);
        }
        Message before = fromItem(old);
        Message claimed = new Message(before.id(), before.topic(), before.channel(), before.description(), status,
                before.attempts() + 1, before.createdAt(), now, before.queuedAt(), before.sentAt(),
                finalAttempt ? FINAL_ATTEMPT_MARKER : before.lastError(), before.deliveryId(), before.waiting(),
                before.history(), before.retryRequestedAt());
        int atError = old.containsKey(ATTEMPTS_AT_ERROR) ? Integer.parseInt(old.get(ATTEMPTS_AT_ERROR).n()) : 0;
        return new Claim.Claimed(claimed, token, before.lastError(), claimed.attempts() - atError);
    }

    @Override
    public boolean markSent(Claim.Claimed claim, Instant at, String deliveryId, DeliveryAttempt attempt) {
        Map<String, String> names = new HashMap<>(Map.of("#status", STATUS, "#sentAt", SENT_AT, "#updatedAt", UPDATED_AT,
                "#lastError", LAST_ERROR, "#token", CLAIM_TOKEN, "#expires", CLAIM_EXPIRES_AT, "#channel", CHANNEL,
                "#history", HISTORY));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":sent", s(MessageStatus.SENT.name()), ":at", s(Timestamps.format(at)), ":token", s(claim.token()),
                ":channel", s(claim.message().channel()), ":history", history(claim, attempt)));
        // The channel the message went out on: the topic's route may have changed since it was accepted.
        StringBuilder set = new StringBuilder("SET #status = :sent, #sentAt = :at, #updatedAt = :at, #channel = :channel, #history = :history");
        if (deliveryId != null) {
            set.append(", #deliveryId = :deliveryId");
            names.put("#deliveryId", DELIVERY_ID);
            values.put(":deliveryId", s(deliveryId));
        }
        // lastError says what is wrong with a message now (the bot's status view and the console show it): nothing,
        // once it is delivered. The errors of earlier attempts are in the history, each with its attempt.
        // Or this very write, applied already: the SDK sends a write again when its answer is late (AwsClients gives
        // each try 3 s), and the retry finds the token removed. Writing the same values again changes nothing.
        return conditionalUpdate(claim.message().id(), set + " REMOVE #token, #expires, #lastError",
                "#token = :token OR (#status = :sent AND #sentAt = :at)", names, values);
    }

    @Override
    public boolean markRetrying(Claim.Claimed claim, Instant at, String error, DeliveryAttempt attempt) {
        return release(claim, MessageStatus.QUEUED, at, error, attempt);
    }

    @Override
    public boolean markWaiting(Claim.Claimed claim, Instant at, Message.Waiting waiting, DeliveryAttempt attempt) {
        Map<String, String> names = new HashMap<>(Map.of("#status", STATUS, "#attempts", ATTEMPTS, "#updatedAt", UPDATED_AT,
                "#token", CLAIM_TOKEN, "#expires", CLAIM_EXPIRES_AT, "#waitingFor", WAITING_FOR,
                "#nextAttemptAt", NEXT_ATTEMPT_AT, "#lastError", LAST_ERROR));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":queued", s(MessageStatus.QUEUED.name()),
                ":one", n(1), ":at", s(Timestamps.format(at)), ":token", s(claim.token()),
                ":waitingFor", s(waiting.destination()), ":nextAttemptAt", s(Timestamps.format(waiting.nextAttemptAt()))));
        // The claim counted an attempt; waiting for a rate limit is not one, so it is given back.
        String update = "SET #status = :queued, #attempts = #attempts - :one, #updatedAt = :at, "
                + "#waitingFor = :waitingFor, #nextAttemptAt = :nextAttemptAt";
        if (attempt != null) {
            // A send the receiver pushed back (429): no attempt counted, but one the history shows.
            update += ", #history = :history";
            names.put("#history", HISTORY);
            values.put(":history", history(claim, attempt));
        }
        if (claim.previousError() != null) {
            update += ", #lastError = :previousError";
            values.put(":previousError", s(claim.previousError()));
            update += " REMOVE #token, #expires";
        } else {
            update += " REMOVE #token, #expires, #lastError";
        }
        return conditionalUpdate(claim.message().id(), update, "#token = :token", names, values);
    }

    @Override
    public boolean markFailed(Claim.Claimed claim, Instant at, String error, DeliveryAttempt attempt) {
        return release(claim, MessageStatus.ERROR, at, error, attempt);
    }

    @Override
    public boolean markAbandoned(Claim.Claimed claim, Instant at, String error) {
        return conditionalUpdate(claim.message().id(),
                "SET #status = :error, #attempts = #attempts - :one, #atError = #attempts - :one, #lastError = :lastError, "
                        + "#updatedAt = :at REMOVE #token, #expires",
                "#token = :token",
                Map.of("#status", STATUS, "#attempts", ATTEMPTS, "#atError", ATTEMPTS_AT_ERROR, "#lastError", LAST_ERROR,
                        "#updatedAt", UPDATED_AT, "#token", CLAIM_TOKEN, "#expires", CLAIM_EXPIRES_AT),
                Map.of(":error", s(MessageStatus.ERROR.name()), ":one", n(1), ":lastError", s(error),
                        ":at", s(Timestamps.format(at)), ":token", s(claim.token())));
    }

    @Override
    public boolean markExhausted(String id, Instant at, String error) {
        Map<String, String> names = mayClaimNames();
        names.putAll(Map.of("#lastError", LAST_ERROR, "#updatedAt", UPDATED_AT, "#atError", ATTEMPTS_AT_ERROR,
                "#attempts", ATTEMPTS));
        Map<String, AttributeValue> values = mayClaimValues(at);
        values.putAll(Map.of(":error", s(MessageStatus.ERROR.name()), ":lastError", s(error), ":at", s(Timestamps.format(at)),
                ":zero", n(0)));
        return conditionalUpdate(id,
                "SET #status = :error, #lastError = :lastError, #updatedAt = :at, #atError = if_not_exists(#attempts, :zero)",
                MAY_CLAIM, names, values);
    }

    private static Map<String, String> mayClaimNames() {
        return new HashMap<>(Map.of("#id", ID, "#status", STATUS, "#expires", CLAIM_EXPIRES_AT));
    }

    private static Map<String, AttributeValue> mayClaimValues(Instant now) {
        return new HashMap<>(Map.of(":sent", s(MessageStatus.SENT.name()), ":nowMs", n(now.toEpochMilli())));
    }

    private boolean release(Claim.Claimed claim, MessageStatus status, Instant at, String error, DeliveryAttempt attempt) {
        // Ending ERROR closes the round: a redrive or retry starts the next with a fresh attempt budget.
        String roundEnd = status == MessageStatus.ERROR ? ", #atError = #attempts" : "";
        Map<String, String> names = new HashMap<>(Map.of("#status", STATUS, "#lastError", LAST_ERROR, "#updatedAt", UPDATED_AT,
                "#token", CLAIM_TOKEN, "#expires", CLAIM_EXPIRES_AT));
        if (!roundEnd.isEmpty()) {
            names.putAll(Map.of("#atError", ATTEMPTS_AT_ERROR, "#attempts", ATTEMPTS));
        }
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", s(status.name()), ":lastError", s(error),
                ":at", s(Timestamps.format(at)), ":token", s(claim.token())));
        String history = "";
        if (attempt != null) {
            history = ", #history = :history";
            names.put("#history", HISTORY);
            values.put(":history", history(claim, attempt));
        }
        return conditionalUpdate(claim.message().id(),
                "SET #status = :status, #lastError = :lastError, #updatedAt = :at" + roundEnd + history + " REMOVE #token, #expires",
                "#token = :token", names, values);
    }

    /**
     * The whole history as it will stand: the claimed message's (read by the claim) plus this attempt, the latest
     * {@value DeliveryAttempt#HISTORY_LIMIT}. Written whole rather than appended, so it stays bounded in one
     * expression; the claim token's condition guarantees nobody else wrote it since the claim read it.
     */
    private static AttributeValue history(Claim.Claimed claim, DeliveryAttempt attempt) {
        return AttributeValue.fromL(DeliveryAttempt.append(claim.message().history(), attempt).stream()
                .map(DynamoDbMessageRepository::attemptItem).toList());
    }

    private static AttributeValue attemptItem(DeliveryAttempt attempt) {
        Map<String, AttributeValue> entry = new HashMap<>();
        entry.put(ATTEMPT_AT, s(Timestamps.format(attempt.at())));
        entry.put(ATTEMPT_CHANNEL, s(attempt.channel()));
        entry.put(ATTEMPT_OUTCOME, s(attempt.outcome().name()));
        entry.put(ATTEMPT_DURATION_MS, n(attempt.duration().toMillis()));
        putIfPresent(entry, ATTEMPT_DESTINATION, attempt.destination());
        putIfPresent(entry, ATTEMPT_ERROR, attempt.error());
        putIfPresent(entry, ATTEMPT_DELIVERY_ID, attempt.deliveryId());
        return AttributeValue.fromM(entry);
    }

    private static DeliveryAttempt attempt(AttributeValue value) {
        Map<String, AttributeValue> entry = value.m();
        return new DeliveryAttempt(instant(entry, ATTEMPT_AT), string(entry, ATTEMPT_CHANNEL), string(entry, ATTEMPT_DESTINATION),
                DeliveryAttempt.Outcome.valueOf(string(entry, ATTEMPT_OUTCOME)), string(entry, ATTEMPT_ERROR),
                Duration.ofMillis(entry.containsKey(ATTEMPT_DURATION_MS) ? Long.parseLong(entry.get(ATTEMPT_DURATION_MS).n()) : 0),
                string(entry, ATTEMPT_DELIVERY_ID));
    }

    private boolean conditionalUpdate(String id, String update, String condition, Map<String, String> names,
                                      Map<String, AttributeValue> values) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(tableName)
                    .key(key(id))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static Map<String, AttributeValue> key(String id) {
        return Map.of(ID, s(id));
    }

    static Map<String, AttributeValue> toItem(Message m) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(m.id()));
        item.put(TOPIC, s(m.topic()));
        item.put(CHANNEL, s(m.channel()));
        item.put(DESCRIPTION, s(m.description()));
        item.put(STATUS, s(m.status().name()));
        item.put(ATTEMPTS, AttributeValue.fromN(Integer.toString(m.attempts())));
        item.put(CREATED_AT, s(Timestamps.format(m.createdAt())));
        item.put(UPDATED_AT, s(Timestamps.format(m.updatedAt())));
        if (m.queuedAt() != null) {
            item.put(QUEUED_AT, s(Timestamps.format(m.queuedAt())));
        }
        if (m.sentAt() != null) {
            item.put(SENT_AT, s(Timestamps.format(m.sentAt())));
        }
        putIfPresent(item, LAST_ERROR, m.lastError());
        putIfPresent(item, DELIVERY_ID, m.deliveryId());
        if (!m.history().isEmpty()) {
            item.put(HISTORY, AttributeValue.fromL(m.history().stream().map(DynamoDbMessageRepository::attemptItem).toList()));
        }
        if (m.retryRequestedAt() != null) {
            item.put(RETRY_REQUESTED_AT, s(Timestamps.format(m.retryRequestedAt())));
        }
        if (m.waiting() != null) {
            item.put(WAITING_FOR, s(m.waiting().destination()));
            item.put(NEXT_ATTEMPT_AT, s(Timestamps.format(m.waiting().nextAttemptAt())));
        }
        return item;
    }

    static Message fromItem(Map<String, AttributeValue> item) {
        return new Message(
                string(item, ID),
                string(item, TOPIC),
                string(item, CHANNEL),
                string(item, DESCRIPTION),
                MessageStatus.valueOf(string(item, STATUS)),
                item.containsKey(ATTEMPTS) ? Integer.parseInt(item.get(ATTEMPTS).n()) : 0,
                instant(item, CREATED_AT),
                instant(item, UPDATED_AT),
                instant(item, QUEUED_AT),
                instant(item, SENT_AT),
                string(item, LAST_ERROR),
                string(item, DELIVERY_ID),
                item.containsKey(WAITING_FOR) && item.containsKey(NEXT_ATTEMPT_AT)
                        ? new Message.Waiting(string(item, WAITING_FOR), instant(item, NEXT_ATTEMPT_AT)) : null,
                item.containsKey(HISTORY) ? item.get(HISTORY).l().stream().map(DynamoDbMessageRepository::attempt).toList() : List.of(),
                instant(item, RETRY_REQUESTED_AT));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, Object value) {
        if (value != null) {
            item.put(name, s(value.toString()));
        }
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = string(item, name);
        return value == null ? null : Instant.parse(value);
    }
}
