package com.landbot.router.dispatch;

import com.landbot.router.shared.Channel;
import com.landbot.router.shared.DeliveryException;
import com.landbot.router.shared.DeliveryReceipt;
import com.landbot.router.shared.Message;
import com.landbot.router.shared.Target;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A channel that records deliveries and fails as scripted: the unit tests' Slack or SES. */
final class FakeChannel implements Channel<Target> {

    private final String name;
    private final Deque<Object> script = new ArrayDeque<>();
    final List<Message> delivered = new CopyOnWriteArrayList<>();
    /** The target each delivery was given, in order. */
    final List<Target> targets = new CopyOnWriteArrayList<>();
    int calls;
    /** How many times SnapStart priming warmed it. */
    int primed;

    FakeChannel(String name) {
        this.name = name;
    }

    /** The next call throws this; once the script is used up, calls succeed. */
    FakeChannel thenFail(DeliveryException failure) {
        script.add(failure);
        return this;
    }

    FakeChannel thenThrow(RuntimeException failure) {
        script.add(failure);
        return this;
    }

    /** The next call dies as the container would (an Error nothing in the service catches). */
    FakeChannel thenCrash(Error crash) {
        script.add(crash);
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    /** Any target: the fake stands for whichever channel its name says. */
    @Override
    public Class<Target> targetType() {
        return Target.class;
    }

    @Override
    public void prime() {
        primed++;
    }

    @Override
    public synchronized DeliveryReceipt deliver(Message message, Target target) throws DeliveryException {
        calls++;
        targets.add(target);
        Object next = script.poll();
        if (next instanceof DeliveryException e) {
            throw e;
        }
        if (next instanceof RuntimeException e) {
            throw e;
        }
        if (next instanceof Error e) {
            throw e;
        }
        delivered.add(message);
        return new DeliveryReceipt(name + "-" + delivered.size());
    }
}
