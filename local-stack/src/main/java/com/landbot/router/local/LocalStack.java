package com.landbot.router.local;

import com.landbot.router.dispatch.DispatchHandler;
import com.landbot.router.dispatch.DispatchWiring;
import com.landbot.router.ingest.IngestHandler;
import com.landbot.router.shared.AwsClients;
import com.landbot.router.shared.DynamoDbMessageRepository;
import com.landbot.router.shared.ChannelTargets;
import com.landbot.router.shared.DynamoDbRouteStore;
import com.landbot.router.shared.Settings;
import com.landbot.router.emulators.ElasticMqServer;
import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.emulators.MotoServer;
import com.landbot.router.emulators.SesOutbox;
import com.landbot.router.emulators.SlackStub;
import com.landbot.router.emulators.TemplateDefinitions;
import com.landbot.router.tools.SqsEventSource;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code make run}: the whole system on this machine, no Docker, no AWS account. moto (DynamoDB, SES) and
 * ElasticMQ (SQS) on fixed loopback ports, the template's resources on them, the real IngestFunction handler
 * behind a local API Gateway, the real DispatchFunction handler behind a local SQS event source mapping, and
 * Slack either a real webhook ({@code SLACK_WEBHOOK_URL}) or a local sink that prints what it receives.
 * Ctrl-C (or SIGTERM) stops all of it, moto's process included.
 */
public final class LocalStack {

    /** The line a script or test waits for; everything is listening once it is printed. */
    public static final String READY = "landbot-router is running locally";

    /** The local Slack sink's limit per webhook: Slack's (one per second sustained, short bursts). */
    static final SlackStub.RateLimit SLACK_RATE_LIMIT = new SlackStub.RateLimit(1, 3);

    private final PrintStream out;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();

    private LocalStack(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws InterruptedException {
        LocalHttp.limitSlowClients();
        Map<String, String> env = System.getenv();
        String slackWebhook = Settings.optional(env, "SLACK_WEBHOOK_URL", null);
        LocalPorts ports;
        try {
            ports = LocalPorts.fromEnvironment(env);
            ports.requireFree(slackWebhook == null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LocalStack stack = new LocalStack(System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-stop"));
        try {
            stack.start(env, ports, slackWebhook);
        } catch (RuntimeException | LinkageError e) {
            // A LinkageError here means stale classes on the classpath (an old build): say so, not just die.
            System.err.println("the local stack did not start: " + e);
            System.exit(1);
        }
        new CountDownLatch(1).await();
    }

    private void start(Map<String, String> env, LocalPorts ports, String slackWebhook) {
        out.println("starting moto (DynamoDB, SES) and ElasticMQ (SQS) ...");
        MotoServer moto = keep(MotoServer.start(ports.moto()));
        ElasticMqServer elasticMq = keep(ElasticMqServer.start(ports.sqs()));

        Map<String, String> aws = FunctionEnvironment.emulators(Settings.optional(env, "AWS_REGION", "eu-west-1"),
                moto.endpoint(), elasticMq.endpoint());
        AwsClients clients = new AwsClients(aws);

        LocalResources resources = LocalResources.create(clients,
                Settings.optional(env, "SENDER_ADDRESS", TemplateDefinitions.parameterDefault("SenderAddress")));

        SlackStub slackSink = slackWebhook == null ? keep(SlackStub.start(ports.slack())) : null;
        if (slackSink != null) {
            // Like Slack: about one message per second per webhook, short bursts, then 429 with Retry-After.
            slackSink.limitRate(SLACK_RATE_LIMIT);
        }
        Map<String, String> functionEnv = resources.functionEnvironment(aws)
                .slackWebhook(slackWebhook != null ? slackWebhook : slackSink.webhookUrl())
                .settingsFrom(env)
                .toMap();

        Journey journey = new Journey(out);
        LocalInbox inbox = keep(LocalInbox.start(ports.inbox(), new SesOutbox(moto.endpoint()), slackSink, out));
        // As many dispatchers as the event source runs at once on AWS, each its own "container" (handler, clients,
        // pacer object); they share only what containers share: the queue and the tables, pacing included.
        List<LocalEventSourceMapping> dispatchers = new ArrayList<>();
        for (int i = 0; i < TemplateDefinitions.dispatchMaximumConcurrency(); i++) {
            DispatchHandler dispatch = new DispatchHandler(
                    DispatchWiring.fromEnvironment(functionEnv, clients, Clock.systemUTC()), Clock.systemUTC());
            dispatchers.add(keep(new LocalEventSourceMapping(
                    new SqsEventSource(clients.sqs(), resources.created().queueUrl(), clients.region().id(), TemplateDefinitions.dispatchBatchSize()),
                    dispatch, new DynamoDbMessageRepository(clients.dynamoDb(), resources.created().tableName()), journey,
                    inbox::printNewEmails, out)));
        }
        HttpApiGateway api = keep(HttpApiGateway.start(ports.api(),
                new IngestHandler(functionEnv, clients), journey, out));
        inbox.serveDocs(LocalDocs.fromRepository(URI.create("http://localhost:" + api.port())));
        dispatchers.forEach(LocalEventSourceMapping::start);

        out.println(banner(clients, api, inbox, resources, aws, functionEnv, slackSink, moto.endpoint(), elasticMq.endpoint()));
    }

    private static String routes(AwsClients clients, LocalResources resources) {
        try (DynamoDbClient dynamo = clients.dynamoDb()) {
            return new DynamoDbRouteStore(dynamo, resources.created().topicsTableName(), ChannelTargets.fromEnvironment(Map.of())).all().stream()
                    .map(route -> route.topic() + " -> " + route.channel() + " " + route.target().settings())
                    .toList().toString();
        }
    }

    private static String banner(AwsClients clients, HttpApiGateway api, LocalInbox inbox, LocalResources resources, Map<String, String> aws,
                                 Map<String, String> functionEnv, SlackStub slackSink, URI moto, URI sqs) {
        String apiUrl = "http://localhost:" + api.port();
        String inboxUrl = "http://localhost:" + inbox.port();
        return """

                %s
                  API (IngestFunction)   %s   %s
                  Operator console       %s/console   (admin token: local-admin-token)
                  API docs (Swagger UI)  %s/docs   (docs/openapi.yaml)
                  Dispatchers            %d x DispatchFunction (the template's MaximumConcurrency), polling %s (batches of %d,
                                         ERROR after %s failed attempts; DLQ after %d receives as a safety net)
                  Slack                  %s
                  Email (SES on moto)    from %s; listed at %s/emails
                  Routes (TopicsTable)   %s  (change: PUT /topics/{name} with the admin token)
                  Inbox                  %s  (every Slack payload and email, as text)
                  DynamoDB + SES (moto)  %s   table %s
                  SQS (ElasticMQ)        %s   queue %s, DLQ %s

                Try it:
                  curl -i %s/messages -H 'Authorization: Bearer local-dev-token' -H 'Content-Type: application/json' \\
                       -d '{"topic":"sales","description":"Hi! I would like a demo of the Enterprise plan."}'
                  curl -H 'Authorization: Bearer local-dev-token' %s/messages/<id from the answer>
                  curl -H 'Authorization: Bearer local-admin-token' '%s/messages?status=ERROR'
                  curl -X PUT -H 'Authorization: Bearer local-admin-token' -H 'Content-Type: application/json' %s/topics/support \\
                       -d '{"channel":"email","target":{"recipients":["support@example.com"]}}'

                Redrive the DLQ:
                  AWS_ENDPOINT_URL_SQS=%s AWS_REGION=%s AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \\
                    scripts/redrive --dlq %s

                Ctrl-C stops everything.
                """.formatted(READY,
                apiUrl, api.routes().stream().map(HttpApiGateway.Route::key).toList(), apiUrl, inboxUrl,
                TemplateDefinitions.dispatchMaximumConcurrency(), resources.created().queueName(), TemplateDefinitions.dispatchBatchSize(),
                functionEnv.get("MAX_DELIVERY_ATTEMPTS"), TemplateDefinitions.maxReceiveCount(),
                slackSink == null ? "the real webhook in SLACK_WEBHOOK_URL"
                        : "local sink " + slackSink.webhookUrl() + " (payloads printed here; limited like Slack: 1/s per webhook,"
                                + " bursts of 3, then 429; set SLACK_WEBHOOK_URL for a real channel)"
                        + "\n                         make it fail: curl -X PUT " + inboxUrl + LocalInbox.OUTAGE
                        + " -d '{\"status\":404,\"error\":\"channel_not_found\"}'   fix it: curl -X DELETE " + inboxUrl + LocalInbox.OUTAGE,
                resources.senderAddress(), inboxUrl, routes(clients, resources),
                inboxUrl,
                moto, resources.created().tableName(),
                sqs, resources.created().queueName(), resources.created().deadLetterQueueName(),
                apiUrl, apiUrl, apiUrl, apiUrl,
                sqs, aws.get("AWS_REGION"), resources.created().deadLetterQueueName());
    }

    private <T extends AutoCloseable> T keep(T component) {
        synchronized (running) {
            running.push(component);
        }
        return component;
    }

    /** Last started, first stopped: the API and the poller go before the emulators they talk to. */
    private void stop() {
        out.println("stopping the local stack ...");
        synchronized (running) {
            while (!running.isEmpty()) {
                AutoCloseable component = running.pop();
                out.println("  stopping " + component.getClass().getSimpleName());
                try {
                    component.close();
                } catch (Exception e) {
                    System.err.println("stopping " + component.getClass().getSimpleName() + ": " + e);
                }
            }
        }
        out.println("landbot-router local stack stopped");
    }
}
