package com.landbot.router.shared;

import java.util.List;

/** One page of a listing; {@code nextCursor} is null on the last page. */
public record MessagePage(List<Message> messages, String nextCursor) {

    public MessagePage {
        messages = List.copyOf(messages);
    }
}
