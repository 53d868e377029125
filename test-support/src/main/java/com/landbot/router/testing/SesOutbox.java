package com.landbot.router.testing;

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
 * The emails moto has accepted through SES (v1 or v2 {@code SendEmail}), read back the way moto's own dashboard
 * reads them: {@code GET /moto-api/data.json} lists every model instance the server holds, and sent emails are
 * the {@code ses} service's {@code Message} instances ({@code id, source, destinations, subject, body}).
 *
 * <p>Two things to know when asserting on it:
 * <ul>
 *   <li>moto keeps one body per email: the HTML part when the email has one, otherwise the text part. An email
 *       sent with both shows its HTML here; assert on the text part with a fake client instead.</li>
 *   <li>moto's state lives as long as the server, i.e. the whole test JVM, and is shared by all tests and regions:
 *       find your email by something unique to your test (a recipient, a sender, the SES message id), never by
 *       position or count.</li>
 * </ul>
 * Raw and templated sends are not listed. This is moto's internal API: another emulator (LocalStack) needs its own reader.
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

    /** @param motoEndpoint moto's base URL, e.g. {@code Emulators.get().endpoint("SESV2")} */
    public SesOutbox(URI motoEndpoint) {
        this.dataUri = motoEndpoint.resolve("/moto-api/data.json");
    }

    /** The outbox of the test JVM's moto server. */
    public static SesOutbox ofEmulators() {
        return new SesOutbox(URI.create(Emulators.get().endpoint("SESV2")));
    }

    /** Every email moto has accepted, oldest first. */
    public List<SentEmail> all() {
        JsonNode messages = fetch().path("ses").path("Message");
        List<SentEmail> emails = new ArrayList<>();
        for (JsonNode message : messages) {
            List<String> to = new ArrayList<>();
            message.path("destinations").path("ToAddresses").forEach(address -> to.add(address.asText()));
            emails.add(new SentEmail(
                    text(message, "id"), text(message, "source"), List.copyOf(to), text(message, "subject"), text(message, "body")));
        }
        return List.copyOf(emails);
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
                throw new IllegalStateException(dataUri + " answered " + response.statusCode() + ": is this a moto server?");
            }
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read moto's sent emails from " + dataUri, e);
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
