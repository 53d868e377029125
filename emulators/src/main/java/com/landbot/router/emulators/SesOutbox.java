package com.landbot.router.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The emails the SES emulator has accepted ({@code SendEmail}), read back through the emulator's own API:
 * <ul>
 *   <li>moto: {@code GET /moto-api/data.json} lists every model instance the server holds (as moto's dashboard
 *       reads them), and sent emails are the {@code ses} service's {@code Message} instances
 *       ({@code id, source, destinations, subject, body});</li>
 *   <li>LocalStack: {@code GET /_aws/ses} lists {@code messages} ({@code Id, Source, Destination, Subject,
 *       Body.text_part, Body.html_part}).</li>
 * </ul>
 *
 * <p>Two things to know when asserting on it:
 * <ul>
 *   <li>moto keeps one body per email: the HTML part when the email has one, otherwise the text part. An email
 *       sent with both shows its HTML here; assert on the text part with a fake client instead.</li>
 *   <li>moto's state lives as long as the server, i.e. the whole test JVM, and is shared by all tests and regions:
 *       find your email by something unique to your test (a recipient, a sender, the SES message id), never by
 *       position or count.</li>
 * </ul>
 * Raw and templated sends are not listed.
 */
public final class SesOutbox {

    /**
     * One accepted email.
     *
     * @param messageId the SES MessageId that SendEmail answered
     * @param to        the To addresses (Cc and Bcc are not listed)
     * @param body      the HTML part if the email had one, else the text part (moto stores only one)
     */
    public record SentEmail(String messageId, String source, List<String> to, String subject, String body) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final URI dataUri;
    private final boolean localStack;

    /** @param motoEndpoint moto's base URL, e.g. {@code Emulators.get().endpoint("SES")} */
    public SesOutbox(URI motoEndpoint) {
        this(motoEndpoint.resolve("/moto-api/data.json"), false);
    }

    private SesOutbox(URI dataUri, boolean localStack) {
        this.dataUri = dataUri;
        this.localStack = localStack;
    }

    /** The outbox of LocalStack at this endpoint. */
    public static SesOutbox ofLocalStack(URI endpoint) {
        return new SesOutbox(endpoint.resolve("/_aws/ses"), true);
    }

    /** The outbox of the test JVM's SES emulator (moto, or LocalStack in the LocalStack tier). */
    public static SesOutbox ofEmulators() {
        Emulators emulators = Emulators.get();
        URI endpoint = URI.create(emulators.endpoint("SES"));
        return emulators.backend() == Emulators.Backend.LOCALSTACK ? ofLocalStack(endpoint) : new SesOutbox(endpoint);
    }

    /** Every email the emulator has accepted, oldest first. */
    public List<SentEmail> all() {
        JsonNode data = fetch();
        List<SentEmail> emails = new ArrayList<>();
        if (localStack) {
            for (JsonNode message : data.path("messages")) {
                JsonNode body = message.path("Body");
                String html = text(body, "html_part");
                emails.add(new SentEmail(text(message, "Id"), text(message, "Source"),
                        addresses(message.path("Destination").path("ToAddresses")), text(message, "Subject"),
                        html != null ? html : text(body, "text_part")));
            }
            return List.copyOf(emails);
        }
        for (JsonNode message : data.path("ses").path("Message")) {
            emails.add(new SentEmail(text(message, "id"), text(message, "source"),
                    addresses(message.path("destinations").path("ToAddresses")), text(message, "subject"), text(message, "body")));
        }
        return List.copyOf(emails);
    }

    private static List<String> addresses(JsonNode list) {
        List<String> to = new ArrayList<>();
        list.forEach(address -> to.add(address.asText()));
        return List.copyOf(to);
    }

    /** The emails with {@code address} among their To addresses, oldest first. */
    public List<SentEmail> sentTo(String address) {
        return all().stream().filter(email -> email.to().contains(address)).toList();
    }

    private JsonNode fetch() {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(dataUri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(dataUri + " answered " + response.statusCode() + ": is this " + (localStack ? "LocalStack?" : "a moto server?"));
            }
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the sent emails from " + dataUri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
