package com.landbot.router.dispatch;

import com.landbot.router.dispatch.channels.SlackChannel;
import com.landbot.router.shared.Route;
import java.time.Duration;

/**
 * Which destination a route's sends are paced at, and how much of its rate one send takes.
 *
 * <ul>
 *   <li>Slack limits each incoming webhook (about one message per second, short bursts tolerated, then 429 with
 *       Retry-After): one destination per webhook secret, {@code slackInterval} per message;</li>
 *   <li>SES limits the account's sending rate in recipients per second, whatever the route: one destination for
 *       every email route, {@code recipients / sesSendRate} per message;</li>
 *   <li>any other channel is not paced.</li>
 * </ul>
 *
 * @param slackInterval time between two messages to one webhook ({@code SLACK_MIN_INTERVAL_MS}, default 1 s)
 * @param sesSendRate   the SES account's maximum send rate, recipients per second ({@code SES_MAX_SEND_RATE})
 */
public record PacingRules(Duration slackInterval, double sesSendRate) {

    public static final String SES_ACCOUNT = "email:ses";

    public PacingRules {
        if (slackInterval.isNegative()) {
            throw new IllegalArgumentException("slackInterval must not be negative");
        }
        if (!(sesSendRate > 0)) {
            throw new IllegalArgumentException("sesSendRate must be positive");
        }
    }

    /** The destination's name: it keys the pacing table and shows in logs and GET /messages/{id}; never a secret. */
    public String destination(Route route) {
        return switch (route.channel()) {
            case "slack" -> "slack:" + route.targetString(SlackChannel.SECRET_NAME);
            case "email" -> SES_ACCOUNT;
            default -> route.channel();
        };
    }

    /** How long one send of this route keeps its destination busy. */
    public Duration interval(Route route) {
        return switch (route.channel()) {
            case "slack" -> slackInterval;
            case "email" -> Duration.ofNanos(Math.round(Math.max(1, route.targetStrings("recipients").size()) * 1e9 / sesSendRate));
            default -> Duration.ZERO;
        };
    }
}
