package com.landbot.router.shared;

import java.util.Map;

/**
 * Where a topic's messages go on its channel, one type per channel: a Slack route names the secret holding its
 * webhook URL ({@link SlackTarget}), an email route lists its recipients ({@link EmailTarget}). Each checks itself
 * when it is read, from a {@code PUT /topics} body or from the topics table ({@link ChannelTargets}), so a channel
 * receives exactly the target it can deliver to. A row that no channel can deliver to (written around the API, or
 * naming a channel since removed) reads as an {@link InvalidTarget}: operators still see it, and messages on it fail
 * with its problems instead of the dispatcher guessing.
 *
 * <p>A new channel is its {@link Channel} class in the dispatcher, its target record here (added to
 * {@code permits}), its entry in {@link ChannelTargets}, and its IAM statement in template.yaml.
 */
public sealed interface Target permits SlackTarget, EmailTarget, InvalidTarget {

    /** The channel that delivers to this target: the route's {@code channel}. */
    String channel();

    /** The target as the topics table stores it and the API shows it: a map of strings and lists of strings. */
    Map<String, Object> settings();

    /**
     * Who receives the sends: the unit a receiver's rate limit applies to (one Slack webhook, one SES account),
     * and so the unit sends are paced by. Two targets with equal destinations share one pace.
     */
    Destination destination();
}
