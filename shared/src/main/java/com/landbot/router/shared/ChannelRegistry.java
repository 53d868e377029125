package com.landbot.router.shared;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The channels a dispatcher can deliver through, by name. */
public final class ChannelRegistry {

    private final Map<String, Channel<?>> channels;

    private ChannelRegistry(Map<String, Channel<?>> channels) {
        this.channels = Map.copyOf(channels);
    }

    public static ChannelRegistry of(Collection<? extends Channel<?>> channels) {
        Map<String, Channel<?>> byName = new TreeMap<>();
        for (Channel<?> channel : channels) {
            if (byName.putIfAbsent(channel.name(), channel) != null) {
                throw new IllegalArgumentException("two channels are named " + channel.name());
            }
        }
        return new ChannelRegistry(byName);
    }

    public Optional<Channel<?>> find(String name) {
        return Optional.ofNullable(channels.get(name));
    }

    /** Every channel, in name order. */
    public Collection<Channel<?>> all() {
        return new TreeMap<>(channels).values();
    }

    public Set<String> names() {
        return new TreeSet<>(channels.keySet());
    }

    /**
     * Fails the container's start when a channel that routes may name ({@link ChannelTargets}) has no
     * implementation here: an operator could route a topic to it, and every message on that topic would fail.
     */
    public ChannelRegistry requireAll(Set<String> channelNames) {
        Set<String> missing = new TreeSet<>(channelNames);
        missing.removeAll(channels.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("channels " + missing + " can be routed to but are not registered; registered: " + names());
        }
        return this;
    }
}
