package com.landbot.router.shared;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place AWS SDK clients are built. Everything comes from the environment map, never from probing:
 * <ul>
 *   <li>region from {@code AWS_REGION} (Lambda always sets it), so the SDK does not walk its region chain;</li>
 *   <li>credentials from the {@code AWS_*} variables of the given environment (Lambda sets them), falling back
 *       to the default chain only where they are absent (a developer's shell running a script);</li>
 *   <li>the URL-connection HTTP client: no Apache or Netty on the classpath, less to load at cold start;</li>
 *   <li>endpoints from {@code AWS_ENDPOINT_URL_<SERVICE>} or {@code AWS_ENDPOINT_URL}, the SDK's own convention,
 *       so the same code talks to AWS, LocalStack or the local emulators by configuration alone;</li>
 *   <li>an X-Ray subsegment per call ({@link XRaySubsegments}) only where {@code AWS_XRAY_DAEMON_ADDRESS} is set
 *       (Lambda with tracing on), so tests and local runs pay nothing for it.</li>
 * </ul>
 */
public final class AwsClients {

    /** Bounded so a stalled AWS call fails inside the function's timeout and the caller can retry. */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);

    private final Map<String, String> env;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    /** One for all clients (one socket); null without a daemon. */
    private final XRaySubsegments tracing;
    /**
     * One HTTP client for every SDK client of the container: each URL-connection client builds its own SSL context
     * (trust managers over the JDK's trust store) when it is built, so one saves that for every client after the first.
     * The SDK does not close a client it was given: it lives as long as the container.
     */
    private final Lazy<SdkHttpClient> http = new Lazy<>(() -> UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(ATTEMPT_TIMEOUT)
            .build());

    public AwsClients(Map<String, String> env) {
        this(env, credentialsFrom(env));
    }

    /**
     * The keys in the given environment (Lambda sets them), else the default chain: a developer's profile, or,
     * under SnapStart, where Lambda gives no key variables at initialisation, the container credentials endpoint,
     * which keeps credentials fresh across snapshot restores.
     */
    static AwsCredentialsProvider credentialsFrom(Map<String, String> env) {
        String keyId = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (keyId == null || keyId.isBlank() || secret == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        String token = env.get("AWS_SESSION_TOKEN");
        return StaticCredentialsProvider.create(token == null || token.isBlank()
                ? AwsBasicCredentials.create(keyId, secret)
                : AwsSessionCredentials.create(keyId, secret, token));
    }

    public AwsClients(Map<String, String> env, AwsCredentialsProvider credentials) {
        this.env = Map.copyOf(env);
        String regionName = env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", ""));
        if (regionName.isBlank()) {
            throw new IllegalStateException("AWS_REGION is not set");
        }
        this.region = Region.of(regionName);
        this.credentials = credentials;
        this.tracing = XRaySubsegments.fromEnvironment(env).orElse(null);
    }

    public static AwsClients fromEnvironment() {
        return new AwsClients(System.getenv());
    }

    public Region region() {
        return region;
    }

    public DynamoDbClient dynamoDb() {
        return build(DynamoDbClient.builder(), "DYNAMODB");
    }

    public SqsClient sqs() {
        return build(SqsClient.builder(), "SQS");
    }

    /**
     * Configures any SDK client builder the same way, so a function that needs another service
     * (SES, Secrets Manager) gets identical settings without this module depending on that service.
     *
     * @param serviceId the SDK's endpoint variable suffix: {@code DYNAMODB}, {@code SQS}, {@code SES}, {@code SECRETS_MANAGER}
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String serviceId) {
        builder.region(region)
                .credentialsProvider(credentials)
                .httpClient(http.get())
                .overrideConfiguration(overrideConfiguration());
        String endpoint = endpointFor(serviceId);
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    private ClientOverrideConfiguration overrideConfiguration() {
        ClientOverrideConfiguration.Builder configuration = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .apiCallTimeout(CALL_TIMEOUT)
                // Inert unless SnapStart priming rehearses a write (Priming.rehearse): then the call stops unsent.
                .addExecutionInterceptor(Priming.STOP_BEFORE_SENDING);
        if (tracing != null) {
            configuration.addExecutionInterceptor(tracing);
        }
        return configuration.build();
    }

    String endpointFor(String serviceId) {
        String specific = env.get("AWS_ENDPOINT_URL_" + serviceId.toUpperCase(Locale.ROOT));
        if (specific != null && !specific.isBlank()) {
            return specific;
        }
        String general = env.get("AWS_ENDPOINT_URL");
        return general == null || general.isBlank() ? null : general;
    }
}
