package com.landbot.router.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The loopback ports the local stack listens on: fixed defaults, so the README's URLs and the redrive command
 * are the same on every machine, each overridable by a variable. 0 lets each server take a free port as it binds
 * (the end-to-end test and the bench do, and read the ports back from the console), so no other process can take
 * a port between its choice and its use.
 */
record LocalPorts(int api, int inbox, int slack, int sqs, int moto) {

    static final String API = "LOCAL_API_PORT";
    static final String INBOX = "LOCAL_INBOX_PORT";
    static final String SLACK = "LOCAL_SLACK_PORT";
    static final String SQS = "LOCAL_SQS_PORT";
    static final String MOTO = "LOCAL_MOTO_PORT";

    static LocalPorts fromEnvironment(Map<String, String> env) {
        return new LocalPorts(
                port(env, API, 3000),
                port(env, INBOX, 3001),
                port(env, SLACK, 3002),
                port(env, SQS, 9324),
                port(env, MOTO, 5000));
    }

    /**
     * Fails before anything starts when a port is taken, naming the variable that moves it: half a stack whose
     * moto died on a busy port would answer the bot with 503s and say little about why.
     */
    void requireFree(boolean slackSinkNeeded) {
        List<String> taken = new ArrayList<>();
        check(taken, api, API, "the API");
        check(taken, inbox, INBOX, "the email/Slack listing");
        if (slackSinkNeeded) {
            check(taken, slack, SLACK, "the local Slack sink");
        }
        check(taken, sqs, SQS, "SQS (ElasticMQ)");
        check(taken, moto, MOTO, "DynamoDB and SES (moto)");
        if (!taken.isEmpty()) {
            throw new IllegalStateException(String.join("\n", taken));
        }
    }

    private static void check(List<String> taken, int port, String variable, String what) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            taken.add("port " + port + " (" + what + ") is in use: stop what holds it, or set " + variable
                    + " to a free port, e.g. " + variable + "=" + (port + 100) + " make run");
        }
    }

    private static int port(Map<String, String> env, String variable, int fallback) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + "='" + value + "' is not a port number (1-65535, or 0 for any free one)");
        }
    }
}
