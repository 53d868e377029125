package com.landbot.router.emulators;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.api.Pair;

/**
 * Building blocks of the property tests' generators (QuickTheories), and their seed: one per test run, printed,
 * and replayed with {@code -DQT_SEED=<seed>}. A developer's run draws a new seed each time, to explore; CI
 * ({@code CI} set) uses a fixed one, so a landing is decided by the code, not by the draw.
 */
public final class Generators {

    /** This run's seed. */
    public static final long SEED = Long.getLong("QT_SEED",
            System.getenv("CI") != null ? 20261129L : new SecureRandom().nextLong());

    private Generators() {
    }

    /** Runs a property; a falsified one's message starts with how to replay the run. */
    public static void replayable(Runnable property) {
        try {
            property.run();
        } catch (AssertionError e) {
            throw new AssertionError("replay with -DQT_SEED=" + SEED + ": " + e.getMessage(), e);
        }
    }

    /** A string of code points; its length in code points comes from lengths. */
    public static Gen<String> text(Gen<Integer> lengths, Gen<Integer> codePoints) {
        return in -> {
            StringBuilder text = new StringBuilder();
            for (int i = lengths.generate(in); i > 0; i--) {
                text.appendCodePoint(codePoints.generate(in));
            }
            return text.toString();
        };
    }

    /** Several pieces end to end; how many comes from {@code counts}. */
    public static Gen<String> concatenation(Gen<Integer> counts, Gen<String> pieces) {
        return in -> {
            StringBuilder text = new StringBuilder();
            for (int i = counts.generate(in); i > 0; i--) {
                text.append(pieces.generate(in));
            }
            return text.toString();
        };
    }

    /** One of the values (nulls allowed), shrinking towards the first. */
    @SafeVarargs
    public static <T> Gen<T> values(T... values) {
        List<T> list = new ArrayList<>(values.length);
        for (T value : values) {
            list.add(value);
        }
        return Generate.pick(list);
    }

    /** A generator chosen by weight, shrinking towards the first. */
    @SafeVarargs
    public static <T> Gen<T> weighted(Pair<Integer, Gen<T>>... choices) {
        List<Pair<Integer, Gen<T>>> list = new ArrayList<>(choices.length);
        for (Pair<Integer, Gen<T>> choice : choices) {
            list.add(choice);
        }
        return Generate.frequency(list);
    }

    /** A weighted choice for {@link #weighted}. */
    public static <T> Pair<Integer, Gen<T>> w(int weight, Gen<? extends T> gen) {
        Gen<T> widened = gen::generate;
        return Pair.of(weight, widened);
    }
}
