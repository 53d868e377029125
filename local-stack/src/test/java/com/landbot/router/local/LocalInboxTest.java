package com.landbot.router.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.landbot.router.shared.Json;
import org.junit.jupiter.api.Test;

class LocalInboxTest {

    @Test
    void anEmailsHtmlPartReadsAsTextWithOneLinePerRowAndEntitiesUnescaped() {
        String html = """
                <html><body>
                <p>A customer needs help.</p>
                <table>
                <tr><th align="left">Topic</th><td>pricing</td></tr>
                </table>
                <p>NGOs &amp; schools &lt;3<br>
                second line</p>
                </body></html>
                """;
        assertEquals("A customer needs help.\nTopic: pricing\nNGOs & schools <3\nsecond line", LocalInbox.plain(html));
    }

    @Test
    void aSlackPayloadReadsAsHeaderSectionAndContextLines() throws Exception {
        var payload = Json.MAPPER.readTree("""
                {"text":"fallback","blocks":[
                  {"type":"header","text":{"type":"plain_text","text":"Customer needs help: sales"}},
                  {"type":"section","text":{"type":"mrkdwn","text":"a demo please"}},
                  {"type":"context","elements":[{"type":"mrkdwn","text":"Message id: 42"}]}]}
                """);
        assertEquals("# Customer needs help: sales\na demo please\n  Message id: 42", LocalInbox.describe(payload));
    }
}
