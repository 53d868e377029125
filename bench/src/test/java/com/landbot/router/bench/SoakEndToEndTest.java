package com.landbot.router.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.landbot.router.emulators.ProjectPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code bench/soak} as an operator runs it, with few messages: it loses none, and when it ends (it halts its JVM,
 * which skips shutdown hooks) no process it started is still running.
 */
@Tag("end-to-end")
class SoakEndToEndTest {

    private final Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();

    @AfterEach
    void killWhatOutlivedIt() {
        started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aShortSoakLosesNothingAndLeavesNoProcessBehind() throws Exception {
        Path log = Files.createTempFile("soak-", ".log");
        ProcessBuilder builder = new ProcessBuilder(ProjectPaths.root().resolve("bench/soak").toString(), "30")
                .directory(ProjectPaths.root().toFile())
                .redirectErrorStream(true);
        builder.environment().put("SOAK_CLASSPATH",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        builder.environment().put("SOAK_LOG", log.toString());
        Process soak = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> copy(soak.getInputStream(), output));

        // The soak's children, seen while it runs: after it ends they would no longer be its descendants.
        while (!soak.waitFor(100, TimeUnit.MILLISECONDS)) {
            soak.descendants().forEach(started::add);
            assertTrue(soak.info().startInstant().map(t -> t.plusSeconds(300).isAfter(java.time.Instant.now())).orElse(true),
                    "the soak of 30 messages ran over 5 minutes:\n" + output);
        }
        reader.join(5_000);

        assertEquals(0, soak.exitValue(), output.toString());
        assertTrue(output.toString().matches("(?s).*lost\\s+0\\s.*"), output.toString());
        assertFalse(started.isEmpty(), "moto_server should have run as a child of the soak:\n" + output);
        List<String> outlived = started.stream().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("pid " + p.pid())).collect(Collectors.toList());
        assertEquals(List.of(), outlived, "outlived the soak");
    }

    private static void copy(InputStream in, StringBuilder output) {
        try (in) {
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
                System.out.print(text);
                synchronized (output) {
                    output.append(text);
                }
            }
        } catch (IOException e) {
            // the soak is gone
        }
    }
}
