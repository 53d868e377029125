package com.landbot.router.emulators;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the repository from a test, whichever module's directory the test runs in. */
public final class ProjectPaths {

    private ProjectPaths() {
    }

    public static Path root() {
        String configured = System.getProperty("project.root");
        if (configured != null && Files.exists(Path.of(configured, "template.yaml"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("template.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the project root (template.yaml) above " + Path.of("").toAbsolutePath());
    }

    public static Path events() {
        return root().resolve("events");
    }

    public static Path template() {
        return root().resolve("template.yaml");
    }
}
