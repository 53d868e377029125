package com.landbot.router.shared;

import java.util.Objects;

/**
 * The receiving end of sends that one rate limit covers, named by its channel and an id unique within it: for
 * Slack the webhook's secret (Slack limits each webhook), for email the one SES account (SES limits the account).
 * Never a secret value or a person's address: it appears in logs and may key a shared table.
 */
public record Destination(String channel, String id) {

    public Destination {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(id, "id");
    }

    @Override
    public String toString() {
        return channel + ":" + id;
    }
}
