package com.landbot.router.tools;

import com.landbot.router.shared.AwsClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code scripts/redrive}: moves dead-lettered messages back to the queue for another delivery.
 * Works against AWS (credentials and region from the usual AWS variables or profile) and against the local
 * stack or emulators ({@code AWS_ENDPOINT_URL_SQS}). Exit code 0 when the move completed (or was started with
 * {@code --no-wait}), 1 when it failed, 2 on a usage error.
 */
public final class RedriveCommand {

    static final String USAGE = """
            usage: scripts/redrive [--dlq NAME|URL] [--to NAME|URL] [--rate N] [--no-wait] [--status] [--region R]
              --dlq      dead-letter queue (default: $DLQ_URL, else landbot-router-dev-messages-dlq)
              --to       destination queue (default: $QUEUE_URL, else the DLQ's name without -dlq)
              --rate     messages per second (default: as fast as SQS goes)
              --no-wait  start the move task and return
              --status   show the newest move task of the DLQ and how many messages it holds, move nothing
            """;

    private RedriveCommand() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.getenv()));
    }

    public static int run(String[] args, Map<String, String> env) throws InterruptedException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--no-wait", "--status" -> options.put(args[i], "true");
                case "--dlq", "--to", "--rate", "--region" -> {
                    if (i + 1 >= args.length) {
                        System.err.println(args[i] + " needs a value\n" + USAGE);
                        return 2;
                    }
                    options.put(args[i], args[++i]);
                }
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    return 0;
                }
                default -> {
                    System.err.println("unknown argument " + args[i] + "\n" + USAGE);
                    return 2;
                }
            }
        }
        Map<String, String> settings = new HashMap<>(env);
        if (options.containsKey("--region")) {
            settings.put("AWS_REGION", options.get("--region"));
        }
        Integer rate;
        try {
            rate = options.containsKey("--rate") ? Integer.valueOf(options.get("--rate")) : null;
        } catch (NumberFormatException e) {
            System.err.println("--rate must be a whole number\n" + USAGE);
            return 2;
        }
        try (SqsClient sqs = new AwsClients(settings).sqs()) {
            DeadLetterRedrive redrive = new DeadLetterRedrive(sqs);
            String dlq = redrive.resolve(options.getOrDefault("--dlq",
                    env.getOrDefault("DLQ_URL", "landbot-router-dev-messages-dlq")));
            long waiting = redrive.count(dlq);
            if (options.containsKey("--status")) {
                DeadLetterRedrive.Result last = redrive.status(dlq);
                System.out.printf("%s holds %d message(s); newest move task: %s (%d of %d moved)%s%n", dlq, waiting,
                        last.status(), last.moved(), last.toMove(), last.failureReason() == null ? "" : ", " + last.failureReason());
                return 0;
            }
            if (waiting == 0) {
                System.out.println(dlq + " is empty: nothing to redrive");
                return 0;
            }
            // Always named: a message the dispatcher dead-lettered itself (a permanent failure) has no "source
            // queue" for SQS to return it to.
            String destination = redrive.resolve(options.getOrDefault("--to",
                    env.getOrDefault("QUEUE_URL", dlq.replaceFirst("-dlq$", ""))));
            String task = redrive.start(dlq, destination, rate);
            System.out.printf("redriving %d message(s) from %s to %s (task %s)%n", waiting, dlq,
                    destination, task);
            if (options.containsKey("--no-wait")) {
                return 0;
            }
            DeadLetterRedrive.Result result = redrive.await(dlq, Duration.ofMinutes(30),
                    progress -> System.out.printf("  %s: %d of %d moved%n", progress.status(), progress.moved(), progress.toMove()));
            System.out.printf("%s: %d of %d moved%s%n", result.status(), result.moved(), result.toMove(),
                    result.failureReason() == null ? "" : " (" + result.failureReason() + ")");
            return "COMPLETED".equals(result.status()) ? 0 : 1;
        } catch (RuntimeException e) {
            System.err.println("redrive failed: " + e.getMessage());
            return 1;
        }
    }
}
