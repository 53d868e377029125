package com.landbot.router.ingest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.emulators.ProjectPaths;
import com.landbot.router.emulators.TemplateDefinitions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each `sam deploy` environment in samconfig.toml, with its parameter overrides, is a deployment that works:
 * CloudFormation would accept the values, and they keep the rules the template's descriptions state.
 */
class DeployConfigTest {

    private static final Pattern SECTION = Pattern.compile("^\\[(\\w+)\\.deploy\\.parameters]\\s*$");
    private static final Pattern OVERRIDES = Pattern.compile("^parameter_overrides\\s*=\\s*\"(.*)\"\\s*$");

    @Test
    void everyDeployEnvironmentKeepsTheTemplatesRules() throws IOException {
        Map<String, Map<String, String>> environments = deployEnvironments();
        assertTrue(environments.containsKey("default") && environments.containsKey("prod"), environments.keySet().toString());
        environments.forEach((name, overrides) -> {
            List<String> problems = problems(effective(overrides));
            overrides.keySet().stream()
                    .filter(key -> TemplateDefinitions.template().path("Parameters").path(key).isMissingNode())
                    .forEach(key -> problems.add(key + " is not a parameter of template.yaml"));
            assertTrue(problems.isEmpty(), "samconfig.toml [" + name + "]: " + problems);
        });
    }

    @Test
    void theRulesRefuseWhatWouldBreakADeployment() {
        Map<String, String> stale = new LinkedHashMap<>();
        stale.put("MaxReceiveCount", "5");
        stale.put("SlackWebhookSecretName", "landbot-router/prod/slack-webhook-url");
        List<String> problems = problems(effective(stale));

        assertTrue(problems.stream().anyMatch(p -> p.startsWith("MaxReceiveCount")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("SlackWebhookSecretName")), problems.toString());
        assertFalse(problems(effective(Map.of())).stream().findAny().isPresent(), "the template's defaults break its own rules");
    }

    /** The template's defaults with an environment's overrides on top. */
    private static Map<String, String> effective(Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        TemplateDefinitions.template().path("Parameters").properties().forEach(entry -> {
            if (entry.getValue().has("Default")) {
                values.put(entry.getKey(), entry.getValue().get("Default").asText());
            }
        });
        values.putAll(overrides);
        return values;
    }

    private static List<String> problems(Map<String, String> values) {
        List<String> problems = new java.util.ArrayList<>();
        values.forEach((key, value) -> {
            JsonNode parameter = TemplateDefinitions.template().path("Parameters").path(key);
            if (parameter.has("AllowedPattern") && !value.matches(parameter.get("AllowedPattern").asText())) {
                problems.add(key + "=" + value + " does not match " + parameter.get("AllowedPattern").asText());
            }
            if (parameter.path("Type").asText().equals("Number")) {
                double number = Double.parseDouble(value);
                if ((parameter.has("MinValue") && number < parameter.get("MinValue").asDouble())
                        || (parameter.has("MaxValue") && number > parameter.get("MaxValue").asDouble())) {
                    problems.add(key + "=" + value + " is outside " + parameter.path("MinValue") + "-" + parameter.path("MaxValue"));
                }
            }
        });
        // The dispatcher may read only secrets under the prefix (its IAM statement), so the seeded sales route's
        // secret must be one of them.
        String prefix = values.get("SlackSecretPrefix");
        String secret = values.get("SlackWebhookSecretName");
        if (!secret.startsWith(prefix)) {
            problems.add("SlackWebhookSecretName " + secret + " is outside SlackSecretPrefix " + prefix + ": the dispatcher could not read it");
        }
        // Each failed attempt takes one receive and each wait for a pacing slot at most two: SQS's safety net must not
        // dead-letter a message that was only waiting.
        int receives = Integer.parseInt(values.get("MaxReceiveCount"));
        int attempts = Integer.parseInt(values.get("MaxDeliveryAttempts"));
        if (receives <= 3 * attempts) {
            problems.add("MaxReceiveCount " + receives + " is not well above MaxDeliveryAttempts " + attempts
                    + ": messages waiting for a rate limit would reach the DLQ");
        }
        return problems;
    }

    private static Map<String, Map<String, String>> deployEnvironments() throws IOException {
        Map<String, Map<String, String>> environments = new LinkedHashMap<>();
        String section = null;
        for (String line : Files.readAllLines(ProjectPaths.root().resolve("samconfig.toml"))) {
            Matcher header = SECTION.matcher(line);
            if (header.matches()) {
                section = header.group(1);
                environments.put(section, new LinkedHashMap<>());
                continue;
            }
            if (line.startsWith("[")) {
                section = null;
                continue;
            }
            Matcher overrides = OVERRIDES.matcher(line);
            if (section != null && overrides.matches()) {
                for (String pair : overrides.group(1).trim().split("\\s+")) {
                    String[] keyValue = pair.split("=", 2);
                    environments.get(section).put(keyValue[0], keyValue.length == 2 ? keyValue[1] : "");
                }
            }
        }
        return environments;
    }
}
