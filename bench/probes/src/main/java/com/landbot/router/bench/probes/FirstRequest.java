package com.landbot.router.bench.probes;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a SnapStart restore leaves to the first request, in one fresh JVM on a function's artifact: the handler is
 * built as Lambda's init builds it (a {@link RequestHandler} with the runtime interface client's event and response
 * serialisers; a {@link RequestStreamHandler}, as the functions are, alone), then, when asked, its priming hook runs
 * as SnapStart runs it around the snapshot ({@code beforeCheckpoint}, {@code afterRestore}), then one request goes
 * through the handler as the runtime interface client passes it. Prints the process CPU time of each phase.
 *
 * <p>Arguments: handler class, event class, event JSON file, {@code primed} or {@code cold}.
 */
public final class FirstRequest {

    public static void main(String[] args) throws Exception {
        long start = cpuNanos();
        Class<?> handlerClass = Class.forName(args[0]);
        Class<?> eventClass = Class.forName(args[1]);
        String eventJson = Files.readString(Path.of(args[2]));
        boolean primed = args[3].equals("primed");

        Object handler = handlerClass.getConstructor().newInstance();
        boolean stream = handler instanceof RequestStreamHandler;
        // The runtime interface client makes a RequestHandler's serialisers at init too, so they are in the snapshot.
        PojoSerializer<Object> in = stream ? null : serializer(eventClass);
        PojoSerializer<Object> out = stream ? null : serializer(handlerClass.getMethod("handleRequest", eventClass, Context.class).getReturnType());
        long initialised = cpuNanos();
        if (primed) {
            // The hook the handler registered with org.crac (a no-op outside a CRaC JVM): what SnapStart would call.
            for (Field field : handlerClass.getDeclaredFields()) {
                if (field.getType().getName().equals("com.landbot.router.shared.Priming")) {
                    field.setAccessible(true);
                    Object priming = field.get(handler);
                    priming.getClass().getMethod("beforeCheckpoint", org.crac.Context.class).invoke(priming, (Object) null);
                    priming.getClass().getMethod("afterRestore", org.crac.Context.class).invoke(priming, (Object) null);
                }
            }
        }
        long ready = cpuNanos();
        long wall = System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (stream) {
            ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)),
                    body, new ProbeContext());
        } else {
            @SuppressWarnings("unchecked")
            Object response = ((RequestHandler<Object, Object>) handler).handleRequest(in.fromJson(eventJson), new ProbeContext());
            out.toJson(response, body);
        }
        long done = cpuNanos();
        double wallMillis = (System.nanoTime() - wall) / 1e6;
        System.out.println("PROBE initCpuMs=" + ms(initialised - start) + " primingCpuMs=" + ms(ready - initialised)
                + " requestCpuMs=" + ms(done - ready) + " requestWallMs=" + wallMillis
                + " response=" + body.toString(StandardCharsets.UTF_8).replace('\n', ' '));
        System.exit(0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static PojoSerializer<Object> serializer(Class<?> type) {
        return (PojoSerializer) LambdaEventSerializers.serializerFor(type, FirstRequest.class.getClassLoader());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** All threads of this process (the JIT compiler's and the GC's included), as the bench counts a cold start. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Enough of Lambda's context for the handlers: a deadline 30 s away and a logger. */
    private static final class ProbeContext implements Context {
        private final long deadline = System.currentTimeMillis() + 30_000;

        public String getAwsRequestId() { return "probe"; }
        public String getLogGroupName() { return "probe"; }
        public String getLogStreamName() { return "probe"; }
        public String getFunctionName() { return "probe"; }
        public String getFunctionVersion() { return "$LATEST"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:000000000000:function:probe"; }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return (int) (deadline - System.currentTimeMillis()); }
        public int getMemoryLimitInMB() { return 1024; }
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) { System.out.print(message); }
                public void log(byte[] message) { System.out.write(message, 0, message.length); }
            };
        }
    }
}
