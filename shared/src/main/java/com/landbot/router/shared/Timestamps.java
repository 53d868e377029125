package com.landbot.router.shared;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How instants are stored: ISO-8601 UTC with exactly three fraction digits. Fixed width makes the strings sort
 * as the instants do ({@link Instant#toString()} drops a zero fraction, and "…27Z" sorts after "…27.5Z"), which the
 * messages table's by-status index relies on.
 */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
