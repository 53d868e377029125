package com.landbot.router.emulators;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One built function running as Lambda runs it: aws-lambda-rie (shipped inside the SAM CLI pip package)
 * serves the invoke API and the Runtime API; a fresh JVM ({@link LambdaJvm}: by default the template's runtime
 * version with Lambda's flags) runs the runtime interface client, which loads the handler string from
 * template.yaml out of the artifact's {@code lib/}.
 */
public final class RuntimeInterfaceEmulator implements AutoCloseable {

    private final Process process;
    private final URI invocations;
    private final Path log;

    private RuntimeInterfaceEmulator(Process process, URI invocations, Path log) {
        this.process = process;
        this.invocations = invocations;
        this.log = log;
    }

    public static Path samBuild(String logicalId) {
        Path artifact = ProjectPaths.root().resolve(".aws-sam/build").resolve(logicalId);
        if (!Files.isDirectory(artifact.resolve("lib"))) {
            throw new IllegalStateException(artifact + " has no lib/: run `sam build` first (make smoke does)");
        }
        return artifact;
    }

    /** On the runtime and memory size template.yaml names, started as Lambda starts it ({@link LambdaJvm#ofTemplate()}). */
    public static RuntimeInterfaceEmulator start(Path artifact, String handler, Map<String, String> environment) throws IOException {
        return start(LambdaJvm.ofTemplate(), artifact, handler, environment);
    }

    public static RuntimeInterfaceEmulator start(LambdaJvm jvm, Path artifact, String handler, Map<String, String> environment)
            throws IOException {
        Path rie = emulatorBinary();
        int invokePort = freePort();
        int runtimeApiPort = freePort();
        String classpath = String.join(File.pathSeparator,
                artifact.resolve("lib").toString() + File.separator + "*",
                // The runtime interface client and what it needs: the managed runtime provides these, not the artifact.
                jarOf(AWSLambda.class),
                jarOf(PojoSerializer.class),
                jarOf(software.amazon.awssdk.utilslite.SdkInternalThreadLocal.class));
        List<String> command = new ArrayList<>(List.of(
                rie.toString(),
                "--runtime-interface-emulator-address", "127.0.0.1:" + invokePort,
                "--runtime-api-address", "127.0.0.1:" + runtimeApiPort,
                jvm.java().toString()));
        command.addAll(jvm.flags());
        command.addAll(List.of(
                "--enable-native-access=ALL-UNNAMED",
                "-cp", classpath,
                AWSLambda.class.getName(),
                handler));
        Path log = Files.createTempFile("rie-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", artifact.getFileName().toString());
        builder.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(jvm.memoryMb()));
        builder.environment().put("AWS_LAMBDA_FUNCTION_TIMEOUT", "30");
        // The JVM options the template gives this function (its JAVA_TOOL_OPTIONS), unless the caller sets its own;
        // an artifact the template does not name (the bench's hello-world baseline) starts as IngestFunction does.
        String function = artifact.getFileName().toString();
        String toolOptions = TemplateDefinitions.javaToolOptions(
                TemplateDefinitions.template().path("Resources").has(function) ? function : "IngestFunction");
        if (!toolOptions.isEmpty()) {
            builder.environment().put("JAVA_TOOL_OPTIONS", toolOptions);
        }
        builder.environment().putAll(environment);
        return new RuntimeInterfaceEmulator(builder.start(),
                URI.create("http://127.0.0.1:" + invokePort + "/2015-03-31/functions/function/invocations"), log);
    }

    /** Invokes the function with one event; returns the raw JSON the handler's response serialised to. */
    public String invoke(String eventJson) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        IOException last = null;
        // The emulator needs a moment to listen; the first invoke also pays the JVM's cold start.
        for (int attempt = 0; attempt < 100 && process.isAlive(); attempt++) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(invocations)
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(eventJson))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("invoke answered " + response.statusCode() + ": " + response.body() + "\n" + log());
                }
                return response.body();
            } catch (java.net.ConnectException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("emulator not reachable: " + last + "\n" + log());
    }

    /** The emulator process; the function's JVM is its child. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private static Path emulatorBinary() throws IOException {
        String arch = System.getProperty("os.arch").contains("aarch64") || System.getProperty("os.arch").contains("arm") ? "arm64" : "x86_64";
        Path venv = ProjectPaths.root().resolve(".venv/sam/lib");
        try (var found = Files.find(venv, 6, (path, attributes) ->
                path.getFileName().toString().equals("aws-lambda-rie-" + arch) && path.toString().contains("samcli/local/rapid"))) {
            Path binary = found.findFirst().orElseThrow(() ->
                    new IllegalStateException("aws-lambda-rie-" + arch + " not found under " + venv + ": run make venv"));
            binary.toFile().setExecutable(true);
            return binary;
        }
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
