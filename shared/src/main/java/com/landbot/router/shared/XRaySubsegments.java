package com.landbot.router.shared;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;

/**
 * One AWS X-Ray subsegment per AWS SDK call, sent to the X-Ray daemon, without the X-Ray SDK (its recorder and
 * emitter would cost cold-start time for the few fields we need).
 *
 * <p>With {@code Tracing: Active}, Lambda records a segment for each sampled invocation and hands the function its
 * trace header ({@code Root=...;Parent=...;Sampled=1}). The Java runtime sets it as the system property
 * {@value #TRACE_HEADER_PROPERTY} before each invocation and clears it when there is none; the environment variable
 * {@value #TRACE_HEADER_VARIABLE} is read second only, since a JVM's environment cannot change after start. Each
 * subsegment names the header's Parent (the function's segment) as its parent, so it appears inside the invocation
 * on the trace, and with namespace {@code aws} X-Ray draws DynamoDB, SQS, SES and Secrets Manager as nodes of the
 * service map (one per table or queue, from {@code table_name} and {@code queue_url}).
 *
 * <p>Calls outside a sampled invocation (SnapStart priming, unsampled requests) cost a property read. Sending is
 * one UDP datagram and can neither fail nor slow the call: errors are swallowed, and the first one is logged.
 */
public final class XRaySubsegments implements ExecutionInterceptor {

    static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
    static final String TRACE_HEADER_VARIABLE = "_X_AMZN_TRACE_ID";
    static final String DAEMON_ADDRESS_VARIABLE = "AWS_XRAY_DAEMON_ADDRESS";

    private static final byte[] DAEMON_HEADER = "{\"format\": \"json\", \"version\": 1}\n".getBytes(UTF_8);
    private static final ExecutionAttribute<Call> CALL = new ExecutionAttribute<>("landbot.XRaySubsegments.call");
    /**
     * Draws on the operating system for every id: a seeded generator would be captured in the SnapStart snapshot
     * and repeat the same ids in every restored container (a redelivered message's trace spans two of them).
     */
    private static final SecureRandom IDS = new SecureRandom();

    private final InetSocketAddress daemon;
    private final Supplier<String> traceHeader;
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    /** Opened on the first send, after any SnapStart restore, and kept for the container's life. */
    private volatile DatagramSocket socket;

    XRaySubsegments(InetSocketAddress daemon, Supplier<String> traceHeader) {
        this.daemon = daemon;
        this.traceHeader = traceHeader;
    }

    /** The interceptor for the daemon the environment names (Lambda sets it when tracing is on), else empty. */
    public static Optional<XRaySubsegments> fromEnvironment(Map<String, String> env) {
        String address = env.get(DAEMON_ADDRESS_VARIABLE);
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new XRaySubsegments(udpAddress(address), XRaySubsegments::currentTraceHeader));
        } catch (IllegalArgumentException e) {
            // Tracing is worth less than the function: run untraced rather than fail to start.
            Log.warn("xray.daemon.address.invalid", "value", address);
            return Optional.empty();
        }
    }

    /** {@code host:port}, or the {@code udp:host:port tcp:host:port} form (either order): the UDP address. */
    static InetSocketAddress udpAddress(String value) {
        String[] parts = value.trim().split("\\s+");
        String udp = parts.length == 1 && !parts[0].startsWith("tcp:") ? parts[0] : null;
        for (String part : parts) {
            if (part.startsWith("udp:")) {
                udp = part.substring("udp:".length());
            }
        }
        int colon = udp == null ? -1 : udp.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a daemon address: " + value);
        }
        return new InetSocketAddress(udp.substring(0, colon), Integer.parseInt(udp.substring(colon + 1)));
    }

    static String currentTraceHeader() {
        String header = System.getProperty(TRACE_HEADER_PROPERTY);
        return header != null && !header.isBlank() ? header : System.getenv(TRACE_HEADER_VARIABLE);
    }

    /** The trace and parent segment a subsegment belongs to. */
    record Trace(String traceId, String parentId) {

        /** From a trace header that says {@code Sampled=1}; null when it is absent, unsampled or incomplete. */
        static Trace sampled(String header) {
            if (header == null) {
                return null;
            }
            String root = null;
            String parent = null;
            boolean sampled = false;
            for (String field : header.split(";")) {
                String[] pair = field.trim().split("=", 2);
                if (pair.length == 2) {
                    switch (pair[0]) {
                        case "Root" -> root = pair[1];
                        case "Parent" -> parent = pair[1];
                        case "Sampled" -> sampled = pair[1].equals("1");
                        default -> { }
                    }
                }
            }
            return sampled && root != null && parent != null ? new Trace(root, parent) : null;
        }
    }

    /** What is known of one SDK call between its start and its end. */
    private static final class Call {
        final Trace trace;
        final Instant start;
        final String tableName;
        final String queueUrl;
        /** Attempts run one after another; volatile because they need not run on one thread. */
        volatile int attempts;

        Call(Trace trace, Instant start, String tableName, String queueUrl) {
            this.trace = trace;
            this.start = start;
            this.tableName = tableName;
            this.queueUrl = queueUrl;
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        try {
            Trace trace = Trace.sampled(traceHeader.get());
            if (trace != null) {
                attributes.putAttribute(CALL, new Call(trace, Instant.now(),
                        context.request().getValueForField("TableName", String.class).orElse(null),
                        context.request().getValueForField("QueueUrl", String.class).orElse(null)));
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Call call = attributes.getAttribute(CALL);
        if (call != null) {
            call.attempts++;
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        try {
            Call call = attributes.getAttribute(CALL);
            if (call != null) {
                String requestId = context.response() instanceof AwsResponse response
                        ? response.responseMetadata().requestId() : null;
                send(subsegment(call, attributes, context.httpResponse().statusCode(), requestId, null));
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        try {
            Call call = attributes.getAttribute(CALL);
            if (call != null) {
                Throwable error = context.exception();
                SdkServiceException remote = error instanceof SdkServiceException e ? e : null;
                Integer status = remote != null && remote.statusCode() > 0 ? Integer.valueOf(remote.statusCode())
                        : context.httpResponse().map(SdkHttpResponse::statusCode).orElse(null);
                send(subsegment(call, attributes, status, remote == null ? null : remote.requestId(), error));
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /**
     * The segment document of one call (see "AWS X-Ray segment documents"): 4xx is an error, 429 or an SDK
     * throttling error also a throttle, 5xx or no answer at all (timeout, connection refused) a fault.
     */
    private static Map<String, Object> subsegment(Call call, ExecutionAttributes attributes, Integer status,
                                                  String requestId, Throwable error) {
        Map<String, Object> aws = new LinkedHashMap<>();
        putPresent(aws, "operation", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
        putPresent(aws, "region", region == null ? null : region.id());
        putPresent(aws, "request_id", "UNKNOWN".equals(requestId) ? null : requestId);
        putPresent(aws, "table_name", call.tableName);
        putPresent(aws, "queue_url", call.queueUrl);
        aws.put("retries", Math.max(0, call.attempts - 1));

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("type", "subsegment");
        document.put("id", newId());
        document.put("trace_id", call.trace.traceId());
        document.put("parent_id", call.trace.parentId());
        putPresent(document, "name", attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
        document.put("namespace", "aws");
        document.put("start_time", epochSeconds(call.start));
        document.put("end_time", epochSeconds(Instant.now()));
        document.put("aws", aws);
        if (status != null) {
            document.put("http", Map.of("response", Map.of("status", status)));
        }
        boolean throttled = error instanceof SdkServiceException e && e.isThrottlingException()
                || status != null && status == 429;
        if (throttled || status != null && status >= 400 && status < 500) {
            document.put("error", true);
        }
        if (throttled) {
            document.put("throttle", true);
        }
        if (status != null && status >= 500 || error != null && status == null) {
            document.put("fault", true);
        }
        if (error != null) {
            Map<String, Object> exception = new LinkedHashMap<>();
            exception.put("id", newId());
            exception.put("type", error.getClass().getSimpleName());
            putPresent(exception, "message", error.getMessage());
            exception.put("remote", error instanceof SdkServiceException);
            document.put("cause", Map.of("exceptions", List.of(exception)));
        }
        return document;
    }

    /** Leaves absent values out: the daemon and X-Ray expect a field to be missing rather than null. */
    private static void putPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static double epochSeconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    /** 64 random bits in 16 hex digits, as X-Ray wants segment ids. */
    private static String newId() {
        return HexFormat.of().toHexDigits(IDS.nextLong());
    }

    private void send(Map<String, Object> document) {
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(document);
            byte[] datagram = new byte[DAEMON_HEADER.length + json.length];
            System.arraycopy(DAEMON_HEADER, 0, datagram, 0, DAEMON_HEADER.length);
            System.arraycopy(json, 0, datagram, DAEMON_HEADER.length, json.length);
            socket().send(new DatagramPacket(datagram, datagram.length, daemon));
        } catch (IOException | RuntimeException e) {
            failed(e);
        }
    }

    private DatagramSocket socket() throws IOException {
        DatagramSocket open = socket;
        if (open == null) {
            synchronized (this) {
                if (socket == null) {
                    socket = new DatagramSocket();
                }
                open = socket;
            }
        }
        return open;
    }

    /** Once per container: a daemon that is gone would otherwise log on every call. */
    private void failed(Exception e) {
        if (failureLogged.compareAndSet(false, true)) {
            Log.warn("xray.subsegment.unsent", "cause", e);
        }
    }
}
