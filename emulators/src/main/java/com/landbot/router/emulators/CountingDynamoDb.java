package com.landbot.router.emulators;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A DynamoDB client that records the name of each call it passes on: round trips, counted. */
public final class CountingDynamoDb {

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final DynamoDbClient client;

    public CountingDynamoDb(DynamoDbClient real) {
        client = (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() != Object.class && !method.getName().equals("close")
                            && !method.getName().equals("serviceName") && !method.getName().equals("serviceClientConfiguration")) {
                        calls.add(method.getName());
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    public DynamoDbClient client() {
        return client;
    }

    /** The calls made so far, by SDK method name ({@code updateItem}, {@code getItem}, ...), and forgets them. */
    public List<String> drain() {
        List<String> made = List.copyOf(calls);
        calls.clear();
        return made;
    }
}
