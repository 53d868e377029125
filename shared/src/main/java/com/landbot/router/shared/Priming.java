package com.landbot.router.shared;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * SnapStart priming. With SnapStart, Lambda runs the function's initialisation once, snapshots the JVM, and
 * restores the snapshot for each cold start: whatever ran before the snapshot (classes loaded, JSON mappers
 * built, the SDK's request path and HTTP client exercised) is not paid again. This hook runs a function's warm-up
 * right before the checkpoint. A warm-up failure is logged and swallowed: it must never stop a deployment.
 *
 * <p>A warm-up must change nothing. Reads are real calls; writes are <em>rehearsed</em> ({@link #rehearse}): the
 * SDK call runs through the client's whole request path (validation, marshalling into the service's wire format,
 * endpoint resolution, SigV4 signing) and {@link #STOP_BEFORE_SENDING}, which {@link AwsClients} puts on every
 * client, stops it before a byte is sent.
 */
public final class Priming implements Resource {

    /** The message id priming uses: a valid UUID that no real message gets (theirs are random, version 4 with random bits). */
    public static final String SAMPLE_ID = "00000000-0000-4000-8000-000000000000";

    /** The message a warm-up composes, stores or sends (rehearsed): {@link #SAMPLE_ID}, topic and text "priming". */
    public static Message sampleMessage(String channel, java.time.Instant at) {
        return Message.pending(SAMPLE_ID, "priming", channel, "priming", at);
    }

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

    /** Every client AwsClients builds carries this: it ends a rehearsed call after signing, before transmission. */
    public static final ExecutionInterceptor STOP_BEFORE_SENDING = new ExecutionInterceptor() {
        @Override
        public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
                                       ExecutionAttributes attributes) {
            if (REHEARSING.get()) {
                throw new NotSent();
            }
        }
    };

    private static final ThreadLocal<Boolean> REHEARSING = ThreadLocal.withInitial(() -> false);

    /** How a rehearsed call ends: built, marshalled and signed, not sent. */
    static final class NotSent extends RuntimeException {
        NotSent() {
            super("rehearsal: stopped before sending", null, false, false);
        }
    }

    /**
     * Runs an SDK write (a synchronous client's call, on this thread) as a rehearsal: everything up to sending.
     *
     * @throws IllegalStateException if the call went through: its client lacks {@link #STOP_BEFORE_SENDING}
     */
    public static void rehearse(Runnable sdkCall) {
        REHEARSING.set(true);
        try {
            sdkCall.run();
        } catch (NotSent e) {
            return;
        } catch (SdkClientException e) {
            // Some SDK paths wrap what an interceptor throws.
            if (e.getCause() instanceof NotSent) {
                return;
            }
            throw e;
        } finally {
            REHEARSING.remove();
        }
        throw new IllegalStateException("a rehearsed call was sent: its client was not built by AwsClients");
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
