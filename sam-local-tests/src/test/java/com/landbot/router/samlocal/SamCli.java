package com.landbot.router.samlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.landbot.router.emulators.ProjectPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The SAM CLI of the project's venv, run from the repository root as a person runs it: it reads samconfig.toml
 * (the local Architecture override) and the {@code sam build} output in .aws-sam/build, and reaches the container
 * engine named by DOCKER_HOST.
 */
final class SamCli {

    /** What a function needs to sign its calls to the emulators, and the region their resources live in. */
    private final Map<String, String> awsEnvironment;

    SamCli(Map<String, String> awsEnvironment) {
        this.awsEnvironment = Map.copyOf(awsEnvironment);
    }

    static Path root() {
        return ProjectPaths.root();
    }

    /** One finished sam command: its exit code, what it printed, how long it took. */
    record Run(int exitCode, String stdout, String stderr, Duration took) {

        /** The function's answer: the JSON object sam local invoke prints last on standard output. */
        JsonNode response() {
            List<String> lines = stdout.lines().filter(line -> line.startsWith("{")).toList();
            if (exitCode != 0 || lines.isEmpty()) {
                throw new AssertionError("sam exited " + exitCode + " without a response\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr);
            }
            JsonNode response;
            try {
                response = Json.MAPPER.readTree(lines.getLast());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + lines.getLast(), e);
            }
            // A handler that threw, or could not be loaded, answers Lambda's error object instead of its result.
            if (response.has("errorType") || response.has("errorMessage")) {
                throw new AssertionError("the function failed: " + response + "\n--- stderr\n" + stderr);
            }
            return response;
        }
    }

    /** The flags every sam local command of this tier takes. */
    List<String> localFlags(Path envVars) {
        List<String> flags = new ArrayList<>(List.of("--env-vars", envVars.toString(), "--region", awsEnvironment.get("AWS_REGION")));
        // Built images (scripts/container-images) exist only locally: without this flag SAM CLI tries the registry.
        if ("1".equals(System.getenv("LANDBOT_LOCAL_IMAGES"))) {
            flags.add("--skip-pull-image");
        }
        // samconfig.toml runs local invocations on x86_64; an arm64 machine runs the deployed architecture.
        String arch = System.getProperty("os.arch");
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            flags.addAll(List.of("--parameter-overrides", "Architecture=arm64"));
        }
        return flags;
    }

    Run invoke(String function, Path event, Path envVars) {
        List<String> command = new ArrayList<>(List.of(sam(), "local", "invoke", function, "-e", event.toString()));
        command.addAll(localFlags(envVars));
        return run(command, Duration.ofMinutes(3));
    }

    /** Starts a long-running sam command (start-api); its output goes to {@code log}. */
    Process start(List<String> arguments, Path log) {
        List<String> command = new ArrayList<>(List.of(sam()));
        command.addAll(arguments);
        ProcessBuilder builder = builder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Run run(List<String> command, Duration timeout) {
        try {
            Path out = Files.createTempFile("sam-", ".out");
            Path err = Files.createTempFile("sam-", ".err");
            long started = System.nanoTime();
            Process process = builder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout + "\n" + Files.readString(err));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err), took);
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile());
        Map<String, String> env = builder.environment();
        // SAM CLI hands the function the region and keys of its own session: the emulators' ones.
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("AWS_REGION", awsEnvironment.get("AWS_REGION"));
        env.put("AWS_DEFAULT_REGION", awsEnvironment.get("AWS_REGION"));
        env.put("AWS_ACCESS_KEY_ID", awsEnvironment.get("AWS_ACCESS_KEY_ID"));
        env.put("AWS_SECRET_ACCESS_KEY", awsEnvironment.get("AWS_SECRET_ACCESS_KEY"));
        env.put("SAM_CLI_TELEMETRY", "0");
        return builder;
    }

    private static String sam() {
        Path sam = root().resolve(".venv/sam/bin/sam");
        if (!Files.isExecutable(sam)) {
            throw new IllegalStateException(sam + " is missing: run make venv (make test-containers does)");
        }
        return sam.toString();
    }
}
