package com.landbot.router.local;

import com.landbot.router.shared.AwsClients;
import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.emulators.TemplateResources;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The template's data resources on the emulators: the messages table, the topics table with the starting routes,
 * the queue with its redrive policy, the dead-letter queue, and the SES sender identity. Definitions come from template.yaml (key schema, visibility
 * timeout, maxReceiveCount, retention), names from the stack name, as CloudFormation would name them.
 * The emulators keep everything in memory, so each run starts empty and a second run needs no cleanup.
 */
public record LocalResources(TemplateResources created, String senderAddress) {

    static final String STACK_NAME = "landbot-router-local";

    /** The topics table is seeded with the template's starting routes, as a deployment seeds it. */
    public static LocalResources create(AwsClients clients, String senderAddress) {
        // The template's names: ${AWS::StackName}-messages for the queue (and -dlq), tables named alike.
        TemplateResources created;
        try (DynamoDbClient dynamo = clients.dynamoDb(); SqsClient sqs = clients.sqs()) {
            created = TemplateResources.create(dynamo, sqs, STACK_NAME + "-messages", STACK_NAME + "-idempotency",
                    STACK_NAME + "-messages");
        }

        // SES refuses to send from an unverified address; moto treats a verified-for-asking identity as verified.
        try (SesClient ses = clients.build(SesClient.builder(), "SES")) {
            ses.verifyEmailIdentity(b -> b.emailAddress(senderAddress));
        }
        return new LocalResources(created, senderAddress);
    }

    /** The functions' environment on these resources, {@code aws} pointing at the emulators. */
    public FunctionEnvironment functionEnvironment(Map<String, String> aws) {
        return FunctionEnvironment.of(aws, created).sender(senderAddress);
    }
}
