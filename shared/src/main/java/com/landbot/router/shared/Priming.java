package com.landbot.router.shared;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming. With SnapStart, Lambda runs the function's initialisation once, snapshots the JVM, and
 * restores the snapshot for each cold start: whatever ran before the snapshot (classes loaded, JSON mappers
 * built, the SDK's request path and HTTP client exercised) is not paid again. This hook runs a function's warm-up
 * right before the checkpoint. A warm-up failure is logged and swallowed: it must never stop a deployment.
 */
public final class Priming implements Resource {

    private final String function;
    private final Runnable warmUp;

    private Priming(String function, Runnable warmUp) {
        this.function = function;
        this.warmUp = warmUp;
    }

    /** Not registered: for tests. */
    public static Priming of(String function, Runnable warmUp) {
        return new Priming(function, warmUp);
    }

    /**
     * Registers the hook with the JVM's checkpoint context. The caller keeps the returned object for the life of
     * the container (a handler field): the context need not keep it alive.
     */
    public static Priming register(String function, Runnable warmUp) {
        Priming priming = new Priming(function, warmUp);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        Log.info("snapstart.restored", "function", function);
    }

    /** Runs the warm-up; returns whether it completed. */
    public boolean prime() {
        long started = System.nanoTime();
        try {
            warmUp.run();
            Log.info("priming.done", "function", function, "millis", (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (RuntimeException e) {
            Log.warn("priming.failed", "function", function, "cause", e);
            return false;
        }
    }
}
