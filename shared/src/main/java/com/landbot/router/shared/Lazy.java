package com.landbot.router.shared;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value built on first use and kept: how an SDK or Slack client is made once per container, and only by a
 * container that needs it (a dispatcher that only sends email never loads the Slack client). Thread-safe.
 */
public final class Lazy<T> implements Supplier<T> {

    private final Supplier<? extends T> build;
    private volatile T value;

    public Lazy(Supplier<? extends T> build) {
        this.build = Objects.requireNonNull(build, "build");
    }

    @Override
    public T get() {
        T current = value;
        if (current == null) {
            synchronized (this) {
                current = value;
                if (current == null) {
                    current = Objects.requireNonNull(build.get(), "built null");
                    value = current;
                }
            }
        }
        return current;
    }

    /** The value if it was built, else null: for a close or a toString that must not build it. */
    public T ifBuilt() {
        return value;
    }
}
