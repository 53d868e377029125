package com.landbot.router.shared;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

/** Real SDK calls against a loopback stand-in for DynamoDB; a loopback UDP socket plays the X-Ray daemon. */
@Tag("integration")
class XRaySubsegmentsIntegrationTest {

    private static final String TRACE_ID = "1-5759e988-bd862e3fe1be46a994272793";
    private static final String SAMPLED = "Root=" + TRACE_ID + ";Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1";

    private HttpServer dynamo;
    private final Deque<Answer> answers = new ArrayDeque<>();
    private DatagramSocket daemon;
    private final AtomicInteger requests = new AtomicInteger();

    record Answer(int status, String body) {
    }

    @BeforeEach
    void start() throws IOException {
        dynamo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        dynamo.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            Answer answer = answers.isEmpty() ? new Answer(200, "{}") : answers.poll();
            byte[] body = answer.body().getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.getResponseHeaders().add("x-amzn-RequestId", "request-1");
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        dynamo.start();
        daemon = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        daemon.setSoTimeout(5_000);
    }

    @AfterEach
    void stop() {
        dynamo.stop(0);
        daemon.close();
    }

    @Test
    void aSampledCallSendsOneSubsegmentUnderTheInvocationsSegment() throws IOException {
        putItem(client(() -> SAMPLED));

        JsonNode subsegment = receive();
        assertEquals("subsegment", subsegment.path("type").asText());
        assertEquals(TRACE_ID, subsegment.path("trace_id").asText());
        assertEquals("53995c3f42cd8ad8", subsegment.path("parent_id").asText());
        assertTrue(subsegment.path("id").asText().matches("[0-9a-f]{16}"), subsegment.toString());
        assertEquals("DynamoDb", subsegment.path("name").asText());
        assertEquals("aws", subsegment.path("namespace").asText());
        assertEquals("PutItem", subsegment.path("aws").path("operation").asText());
        assertEquals("messages", subsegment.path("aws").path("table_name").asText());
        assertEquals("eu-west-1", subsegment.path("aws").path("region").asText());
        assertEquals("request-1", subsegment.path("aws").path("request_id").asText());
        assertEquals(200, subsegment.path("http").path("response").path("status").asInt());
        double start = subsegment.path("start_time").asDouble();
        assertTrue(start > 1.7e9 && start <= subsegment.path("end_time").asDouble(), subsegment.toString());
        assertFalse(subsegment.has("error") || subsegment.has("fault") || subsegment.has("throttle"), subsegment.toString());
    }

    @Test
    void aRejectedConditionIsAnErrorNotAFault() throws IOException {
        answers.add(new Answer(400, error("ConditionalCheckFailedException", "The conditional request failed")));
        assertThrows(ConditionalCheckFailedException.class, () -> putItem(client(() -> SAMPLED)));

        JsonNode subsegment = receive();
        assertEquals(400, subsegment.path("http").path("response").path("status").asInt());
        assertTrue(subsegment.path("error").asBoolean(), subsegment.toString());
        assertFalse(subsegment.has("throttle") || subsegment.has("fault"), subsegment.toString());
        JsonNode exception = subsegment.path("cause").path("exceptions").path(0);
        assertEquals("ConditionalCheckFailedException", exception.path("type").asText());
        assertTrue(exception.path("remote").asBoolean());
    }

    @Test
    void throttlingIsAnErrorAndAThrottle() throws IOException {
        answers.add(new Answer(400, error("ThrottlingException", "Rate of requests exceeds the allowed throughput.")));
        assertThrows(DynamoDbException.class, () -> putItem(client(() -> SAMPLED)));

        JsonNode subsegment = receive();
        assertTrue(subsegment.path("throttle").asBoolean(), subsegment.toString());
        assertTrue(subsegment.path("error").asBoolean(), subsegment.toString());
        assertFalse(subsegment.has("fault"), subsegment.toString());
    }

    @Test
    void aServerErrorIsAFaultAndTheSdksRetriesAreCounted() throws IOException {
        answers.add(new Answer(500, error("InternalServerError", "Internal server error")));
        answers.add(new Answer(500, error("InternalServerError", "Internal server error")));
        assertThrows(DynamoDbException.class, () -> putItem(client(() -> SAMPLED,
                AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build())));

        JsonNode subsegment = receive();
        assertEquals(500, subsegment.path("http").path("response").path("status").asInt());
        assertTrue(subsegment.path("fault").asBoolean(), subsegment.toString());
        assertEquals(1, subsegment.path("aws").path("retries").asInt(), subsegment.toString());
    }

    @Test
    void unsampledAndUntracedCallsSendNothing() throws IOException {
        putItem(client(() -> "Root=1-5759e988-00000000000000000000000a;Parent=53995c3f42cd8ad8;Sampled=0"));
        putItem(client(() -> null));
        putItem(client(() -> SAMPLED));

        // Loopback keeps datagrams in order: had either call above sent one, it would be the first to arrive.
        assertEquals(TRACE_ID, receive().path("trace_id").asText());
    }

    @Test
    void aDaemonThatIsNotListeningLeavesTheCallsAndTheirAnswersAlone() throws IOException {
        int nobodyListens;
        try (DatagramSocket gone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            nobodyListens = gone.getLocalPort();
        }
        DynamoDbClient client = client(() -> SAMPLED, AwsRetryStrategy.doNotRetry(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), nobodyListens));

        assertEquals(200, putItem(client).sdkHttpResponse().statusCode());
        assertEquals(200, putItem(client).sdkHttpResponse().statusCode());

        assertEquals(2, requests.get(), "both calls reached DynamoDB once each");
        daemon.setSoTimeout(200);
        assertThrows(SocketTimeoutException.class, this::receive, "the subsegments went to the absent daemon only");
    }

    @Test
    void aDaemonThatCannotBeSentToLeavesTheCallsAloneAndIsLoggedOnce() {
        // Port 0 cannot be sent to: every send fails in the socket, as it would with no route to the daemon.
        DynamoDbClient client = client(() -> SAMPLED, AwsRetryStrategy.doNotRetry(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, UTF_8));
        try {
            assertEquals(200, putItem(client).sdkHttpResponse().statusCode());
            assertEquals(200, putItem(client).sdkHttpResponse().statusCode());
        } finally {
            System.setOut(original);
        }

        assertEquals(2, requests.get());
        String log = captured.toString(UTF_8);
        assertEquals(1, log.split("xray.subsegment.unsent", -1).length - 1, "one warning per container, not per call: " + log);
    }

    @Test
    void awsClientsTraceThroughTheDaemonLambdaNamesWithTheRuntimesTraceHeader() throws IOException {
        AwsClients clients = new AwsClients(Map.of(
                "AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + dynamo.getAddress().getPort(),
                "AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:" + daemon.getLocalPort()));
        System.setProperty(XRaySubsegments.TRACE_HEADER_PROPERTY, SAMPLED);
        try (DynamoDbClient client = clients.dynamoDb()) {
            putItem(client);
        } finally {
            System.clearProperty(XRaySubsegments.TRACE_HEADER_PROPERTY);
        }

        assertEquals(TRACE_ID, receive().path("trace_id").asText());
    }

    private DynamoDbClient client(Supplier<String> traceHeader) {
        return client(traceHeader, AwsRetryStrategy.doNotRetry());
    }

    private DynamoDbClient client(Supplier<String> traceHeader, RetryStrategy retries) {
        return client(traceHeader, retries, new InetSocketAddress(InetAddress.getLoopbackAddress(), daemon.getLocalPort()));
    }

    private DynamoDbClient client(Supplier<String> traceHeader, RetryStrategy retries, InetSocketAddress daemonAddress) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + dynamo.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o
                        .retryStrategy(retries)
                        .addExecutionInterceptor(new XRaySubsegments(daemonAddress, traceHeader)))
                .build();
    }

    private static PutItemResponse putItem(DynamoDbClient client) {
        return client.putItem(b -> b.tableName("messages").item(Map.of("id", AttributeValue.fromS("m-1"))));
    }

    private static String error(String type, String message) {
        return Json.write(Map.of("__type", "com.amazonaws.dynamodb.v20120810#" + type, "message", message));
    }

    /** The next datagram: the daemon's header line, then one segment document. */
    private JsonNode receive() throws IOException {
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        daemon.receive(packet);
        String datagram = new String(packet.getData(), 0, packet.getLength(), UTF_8);
        String[] lines = datagram.split("\n", 2);
        assertEquals(Json.MAPPER.readTree("{\"format\": \"json\", \"version\": 1}"), Json.MAPPER.readTree(lines[0]));
        return Json.MAPPER.readTree(lines[1]);
    }
}
