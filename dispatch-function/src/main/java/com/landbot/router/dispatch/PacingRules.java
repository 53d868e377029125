package com.landbot.router.dispatch;

import com.landbot.router.shared.EmailTarget;
import com.landbot.router.shared.SlackTarget;
import com.landbot.router.shared.Target;
import java.time.Duration;

/**
 * How much of its destination's rate one send takes. The destination itself is the target's
 * ({@link Target#destination()}: one Slack webhook, the SES account); the rates are the deployment's:
 * <ul>
 *   <li>Slack limits each incoming webhook (about one message per second, short bursts tolerated, then 429 with
 *       Retry-After): {@code slackInterval} per message;</li>
 *   <li>SES limits the account's sending rate in recipients per second: {@code recipients / sesSendRate} per
 *       message;</li>
 *   <li>any other target is not paced.</li>
 * </ul>
 *
 * @param slackInterval time between two messages to one webhook ({@code SLACK_MIN_INTERVAL_MS})
 * @param sesSendRate   the SES account's maximum send rate, recipients per second ({@code SES_MAX_SEND_RATE})
 */
public record PacingRules(Duration slackInterval, double sesSendRate) {

    public PacingRules {
        if (slackInterval.isNegative()) {
            throw new IllegalArgumentException("slackInterval must not be negative");
        }
        if (!(sesSendRate > 0)) {
            throw new IllegalArgumentException("sesSendRate must be positive");
        }
    }

    /** How long one send to this target keeps its destination busy. */
    public Duration interval(Target target) {
        return switch (target) {
            case SlackTarget slack -> slackInterval;
            case EmailTarget email -> Duration.ofNanos(Math.round(email.recipients().size() * 1e9 / sesSendRate));
            default -> Duration.ZERO;
        };
    }
}
