package com.landbot.router.shared;

/** What customer text looks like to the person who reads it, and what must not reach them as it was sent. */
public final class Text {

    private Text() {
    }

    /**
     * True when a reader sees nothing: every code point is whitespace, a space of any kind (no-break, ideographic),
     * a control character or a format character (zero-width space and joiners, byte order mark, word joiner, bidi
     * controls). {@link String#isBlank} knows only the first and misses {@code "\u200B\u200B"} and no-break spaces.
     */
    public static boolean looksEmpty(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
    }

    /**
     * The text without the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder
     * what follows them: "\u202Efdp.exe" reads as "exe.pdf", and an unclosed one can reorder the rest of a subject
     * line or Slack message, ours included. The marks U+200E, U+200F and U+061C stay: they reorder nothing, and
     * right-to-left writers use them.
     */
    public static String withoutBidiControls(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
            if (control && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            } else if (!control && out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
