package com.landbot.router.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack (community edition) in a container, started through Testcontainers' LocalStack module: the LocalStack
 * tier's SQS and SES ({@code LANDBOT_EMULATORS=localstack}, see {@link Emulators}). One per test JVM, stopped when
 * the JVM exits (Testcontainers' reaper is off where its image cannot be pulled).
 *
 * <p>The image is {@code localstack/localstack} at the version of {@code containers/localstack/requirements.in}:
 * pulled where a registry is reachable, or the one {@code scripts/container-images} built from PyPI.
 */
public final class LocalStackEmulator {

    private static LocalStackContainer container;

    private LocalStackEmulator() {
    }

    /** The image this project's LocalStack tier runs. */
    public static DockerImageName image() {
        Path requirements = ProjectPaths.root().resolve("containers/localstack/requirements.in");
        try {
            Matcher version = Pattern.compile("(?m)^localstack-core\\[runtime\\]==(\\S+)").matcher(Files.readString(requirements));
            if (!version.find()) {
                throw new IllegalStateException(requirements + " pins no localstack-core[runtime] version");
            }
            return DockerImageName.parse("localstack/localstack:" + version.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts LocalStack (once per JVM) and returns its endpoint, e.g. {@code http://localhost:32771}. */
    public static synchronized URI start() {
        if (container == null) {
            LocalStackContainer started = new LocalStackContainer(image())
                    .withServices(LocalStackContainer.Service.SQS, LocalStackContainer.Service.SES)
                    // Load SQS and SES before "Ready." rather than on the first request, which on a busy machine
                    // outlasted the SDK's call timeout (the first CreateQueue of a run failed so).
                    .withEnv("EAGER_SERVICE_LOADING", "1");
            started.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "localstack-stop"));
            container = started;
        }
        return container.getEndpoint();
    }
}
