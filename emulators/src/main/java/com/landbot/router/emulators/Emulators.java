package com.landbot.router.emulators;

import com.landbot.router.shared.AwsClients;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The AWS endpoints the integration tests talk to, one set per test JVM.
 * For each service, an endpoint given in the environment ({@code AWS_ENDPOINT_URL_<SERVICE>} or
 * {@code AWS_ENDPOINT_URL}, e.g. LocalStack) wins; otherwise a local emulator starts on a loopback port:
 * moto for DynamoDB, SES and Secrets Manager, ElasticMQ for SQS. With {@code LANDBOT_EMULATORS=localstack}
 * (the LocalStack tier, {@code make test-containers}), SQS and SES are LocalStack in a container started through
 * Testcontainers instead ({@link LocalStackEmulator}); DynamoDB stays on moto (LocalStack's needs DynamoDB Local).
 */
public final class Emulators {

    private static Emulators instance;

    private final Map<String, String> environment;
    private final AwsCredentialsProvider credentials;
    private final Backend backend;

    private Emulators(Map<String, String> environment, AwsCredentialsProvider credentials, Backend backend) {
        this.environment = Map.copyOf(environment);
        this.credentials = credentials;
        this.backend = backend;
    }

    public Backend backend() {
        return backend;
    }

    public static synchronized Emulators get() {
        if (instance == null) {
            instance = start(System.getenv());
        }
        return instance;
    }

    /** Which emulators serve what the environment does not point elsewhere. */
    public enum Backend {
        /** moto (DynamoDB, SES, Secrets Manager) and ElasticMQ (SQS), in this JVM's reach, no container engine. */
        MOTO_AND_ELASTICMQ,
        /** LocalStack in a container (SQS, SES) through Testcontainers; moto for DynamoDB and Secrets Manager. */
        LOCALSTACK;

        static Backend of(Map<String, String> env) {
            String name = env.getOrDefault("LANDBOT_EMULATORS", "").strip();
            return switch (name) {
                case "", "moto" -> MOTO_AND_ELASTICMQ;
                case "localstack" -> LOCALSTACK;
                default -> throw new IllegalArgumentException("LANDBOT_EMULATORS=" + name + ": expected moto or localstack");
            };
        }
    }

    private static Emulators start(Map<String, String> env) {
        Backend backend = Backend.of(env);
        Map<String, String> environment = new HashMap<>();
        environment.put("AWS_REGION", env.getOrDefault("AWS_REGION", "eu-west-1"));
        String localStack = backend == Backend.LOCALSTACK ? LocalStackEmulator.start().toString() : null;
        // The sam local tier sets 0.0.0.0: its functions run in containers and reach these through the bridge.
        String bind = env.getOrDefault("LANDBOT_EMULATORS_BIND", "127.0.0.1");
        MotoServer moto = null;
        for (String service : new String[] {"DYNAMODB", "SES", "SECRETS_MANAGER", "SQS"}) {
            String configured = configured(env, service);
            if (configured == null && localStack != null && (service.equals("SES") || service.equals("SQS"))) {
                configured = localStack;
            }
            if (configured == null && service.equals("SQS")) {
                configured = ElasticMqServer.start(bind, 0).endpoint().toString();
            }
            if (configured == null && moto == null) {
                moto = MotoServer.start(bind, 0);
            }
            environment.put("AWS_ENDPOINT_URL_" + service, configured != null ? configured : moto.endpoint().toString());
        }

        AwsCredentialsProvider credentials;
        if (env.containsKey("AWS_ACCESS_KEY_ID")) {
            credentials = EnvironmentVariableCredentialsProvider.create();
            environment.put("AWS_ACCESS_KEY_ID", env.get("AWS_ACCESS_KEY_ID"));
            environment.put("AWS_SECRET_ACCESS_KEY", env.getOrDefault("AWS_SECRET_ACCESS_KEY", ""));
            if (env.containsKey("AWS_SESSION_TOKEN")) {
                environment.put("AWS_SESSION_TOKEN", env.get("AWS_SESSION_TOKEN"));
            }
        } else {
            // Emulators accept any credentials; these let a function started in a subprocess sign its requests.
            credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
            environment.put("AWS_ACCESS_KEY_ID", "testing");
            environment.put("AWS_SECRET_ACCESS_KEY", "testing");
        }
        Emulators emulators = new Emulators(environment, credentials, backend);
        // moto and LocalStack load a service's code on its first request, which on a busy machine outlasts the SDK's
        // call timeout (a retried CreateTable then says "already exists", a first CreateQueue times out). A
        // retry-safe call per service first, repeated until it answers.
        try (var dynamo = emulators.clients().dynamoDb(); var sqs = emulators.clients().sqs()) {
            warmUp("DynamoDB at " + environment.get("AWS_ENDPOINT_URL_DYNAMODB"), dynamo::listTables);
            warmUp("SQS at " + environment.get("AWS_ENDPOINT_URL_SQS"), sqs::listQueues);
        }
        return emulators;
    }

    private static void warmUp(String service, Runnable retrySafeCall) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            try {
                retrySafeCall.run();
                return;
            } catch (SdkException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(service + " did not answer within 60 s", e);
                }
            }
        }
    }

    private static String configured(Map<String, String> env, String service) {
        String specific = env.get("AWS_ENDPOINT_URL_" + service);
        if (specific != null && !specific.isBlank()) {
            return specific;
        }
        String general = env.get("AWS_ENDPOINT_URL");
        return general == null || general.isBlank() ? null : general;
    }

    /** Region, endpoints and credentials, as a function's environment would carry them. */
    public Map<String, String> environment() {
        return environment;
    }

    public AwsClients clients() {
        return new AwsClients(environment, credentials);
    }

    public String endpoint(String service) {
        return environment.get("AWS_ENDPOINT_URL_" + service);
    }
}
