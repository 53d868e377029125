package com.landbot.router.shared;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The one JSON configuration of the project: strict on input, compact on output. It also reads the events Lambda
 * hands the functions and writes their answers (the handlers are stream handlers, see {@link #readEvent}).
 */
public final class Json {

    /**
     * Duplicate keys are rejected rather than "last one wins", so that what we validate is what the sender meant;
     * nesting is bounded because no payload of ours is deeper than a few levels.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            // Lambda's names where aws-lambda-java-events' getters differ from them (the names the runtime
            // interface client's own serialiser gives them: LambdaEventsJsonTest compares the two).
            .addMixIn(SQSEvent.class, SqsEventNames.class)
            .addMixIn(SQSEvent.SQSMessage.class, SqsMessageNames.class);

    static {
        MAPPER.getFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    }

    private Json() {
    }

    private abstract static class SqsEventNames {
        @JsonProperty("Records")
        abstract List<SQSEvent.SQSMessage> getRecords();

        @JsonProperty("Records")
        abstract void setRecords(List<SQSEvent.SQSMessage> records);
    }

    private abstract static class SqsMessageNames {
        @JsonProperty("eventSourceARN")
        abstract String getEventSourceArn();

        @JsonProperty("eventSourceARN")
        abstract void setEventSourceArn(String arn);
    }

    /**
     * An event as Lambda delivers it to a stream handler: the functions read their events (aws-lambda-java-events
     * types) with this mapper instead of the runtime interface client's serialiser, a second Jackson with its own
     * start-up cost (bench/run: 90-230 ms of cold-start CPU saved; the hello-world baselines differ by 290 ms).
     * {@code null} for a JSON {@code null}.
     */
    public static <T> T readEvent(InputStream event, Class<T> type) throws IOException {
        return MAPPER.readValue(event, type);
    }

    /** A handler's answer, written where Lambda reads it. */
    public static void writeAnswer(OutputStream out, Object answer) throws IOException {
        MAPPER.writeValue(out, answer);
    }

    /** Serialises our own types; a failure here is a bug, not bad input. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
