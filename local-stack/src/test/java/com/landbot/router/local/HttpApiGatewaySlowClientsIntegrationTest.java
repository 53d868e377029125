package com.landbot.router.local;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.emulators.Emulators;
import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.emulators.TestStack;
import com.landbot.router.ingest.IngestHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The local API against clients that send half a request and stall (the security review's hostile client), in
 * front of the real IngestHandler on moto and ElasticMQ as `make run` wires it: the request that gets through is
 * answered by the function, and the stalled ones, which the JDK's server hands over when their clients hang up,
 * get the function's own 401 (no credentials), not a 500.
 */
@Tag("integration")
class HttpApiGatewaySlowClientsIntegrationTest {

    /** One stack for the class: the tests only read it back, and each creation costs emulator round trips. */
    private static TestStack stack;

    private final List<Socket> stalled = new ArrayList<>();
    private HttpApiGateway api;

    @BeforeAll
    static void createStack() {
        // The JDK's HTTP server reads its time limits once, when the JVM's first server starts: set them first.
        LocalHttp.limitSlowClients();
        stack = TestStack.create();
    }

    @AfterAll
    static void deleteStack() {
        stack.close();
    }

    @BeforeEach
    void start() {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        api = HttpApiGateway.start(0, new IngestHandler(stack.functionEnvironment(), Emulators.get().clients()),
                new Journey(quiet), quiet);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : stalled) {
            socket.close();
        }
        api.close();
    }

    /** Connects and sends a request line and one header, never the blank line that ends the headers. */
    private Socket stall() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port());
        stalled.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write("POST /messages HTTP/1.1\r\nHost: localhost\r\n".getBytes(US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    void clientsThatStallMidRequestDoNotKeepOthersWaiting() throws Exception {
        for (int i = 0; i < 20; i++) {
            stall();
        }
        Thread.sleep(500); // each stalled request now holds a server thread
        HttpClient client = HttpClient.newHttpClient();

        HttpResponse<String> noRoute = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/no-such-route"))
                        .timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> accepted = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/messages"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + FunctionEnvironment.LOCAL_DEV_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"sales\",\"description\":\"call me\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(404, noRoute.statusCode(), noRoute.body());
        assertEquals(202, accepted.statusCode(), "the route the stalled clients hold is served too: " + accepted.body());
        assertTrue(stack.items().stream().anyMatch(item -> accepted.body().contains(item.get("id").s())),
                "the accepted message is stored: " + accepted.body());
    }

    @Test
    void aStalledRequestIsCutOffAfterTheRequestTimeLimit() throws Exception {
        Socket socket = stall();
        socket.setSoTimeout((int) Duration.ofSeconds(LocalHttp.MAX_REQUEST_SECONDS + 20).toMillis());

        long started = System.nanoTime();
        int read;
        try (InputStream in = socket.getInputStream()) {
            read = in.read();
        } catch (SocketException reset) {
            read = -1;
        }

        assertEquals(-1, read, "the server should close the connection, not answer it");
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() >= LocalHttp.MAX_REQUEST_SECONDS - 2,
                "closed by the request time limit, not at once");
    }
}
