package com.landbot.router.emulators;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ embedded in the test JVM: SQS with redrive policies and message move tasks, on a loopback port. */
public final class ElasticMqServer implements AutoCloseable {

    private final SQSRestServer server;
    private final URI endpoint;

    private ElasticMqServer(SQSRestServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    public static ElasticMqServer start() {
        return start(0);
    }

    /** On a given loopback port (0: any free one): the local stack's fixed, documented one. */
    public static ElasticMqServer start(int port) {
        return start("127.0.0.1", port);
    }

    /** Listening on {@code bindAddress} (0.0.0.0: also where containers reach the host); the endpoint stays loopback. */
    public static ElasticMqServer start(String bindAddress, int port) {
        TestTier.requireNetworkAllowed("ElasticMQ");
        SQSRestServer server = SQSRestServerBuilder.withInterface(bindAddress).withPort(port).start();
        int bound = server.waitUntilStarted().localAddress().getPort();
        ElasticMqServer started = new ElasticMqServer(server, URI.create("http://127.0.0.1:" + bound));
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "elasticmq-stop"));
        return started;
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
