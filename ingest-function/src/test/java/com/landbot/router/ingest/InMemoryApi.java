package com.landbot.router.ingest;

import com.landbot.router.ingest.auth.AccessPolicy;
import com.landbot.router.ingest.auth.Authenticator;
import com.landbot.router.ingest.auth.InMemoryUsedSignatures;
import com.landbot.router.ingest.auth.StaticCredentials;
import com.landbot.router.ingest.idempotency.InMemoryIdempotencyStore;
import com.landbot.router.shared.CachedRoutes;
import com.landbot.router.shared.ChannelTargets;
import com.landbot.router.shared.Metrics;
import com.landbot.router.shared.SlackTarget;
import com.landbot.router.shared.Route;
import com.landbot.router.emulators.InMemoryMessageRepository;
import com.landbot.router.emulators.InMemoryRouteStore;
import com.landbot.router.emulators.RecordingMessageQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** The whole API (every route, both credential sets) over in-memory stores, at a fixed time: unit tests of the handler. */
final class InMemoryApi {

    static final String BOT = "local-dev-token";
    static final String ADMIN = "local-admin-token";

    final InMemoryRouteStore routes = InMemoryRouteStore.defaults();
    final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    final RecordingMessageQueue queue = new RecordingMessageQueue();
    final InMemoryUsedSignatures usedSignatures = new InMemoryUsedSignatures();
    final IngestHandler handler;

    InMemoryApi(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        CachedRoutes cache = new CachedRoutes(routes, clock, Duration.ofSeconds(30));
        IngestService service = new IngestService(new RequestValidator(cache), messages, queue, clock,
                () -> UUID.randomUUID().toString(), new InMemoryIdempotencyStore());
        TopicService topics = new TopicService(routes, ChannelTargets.standard(SlackTarget.DEFAULT_SECRET_PREFIX), cache, clock);
        RetryService retries = new RetryService(messages, queue, clock, new Metrics("ingest", clock, line -> { }));
        handler = new IngestHandler(service, topics, retries, new AccessPolicy(new Authenticator(new StaticCredentials(List.of(BOT)), clock),
                new Authenticator(new StaticCredentials(List.of(ADMIN)), clock), usedSignatures, clock));
    }

    Route route(String topic) {
        return routes.all().stream().filter(r -> r.topic().equals(topic)).findFirst().orElse(null);
    }
}
