package com.landbot.router.ingest.auth;

import java.util.List;

/**
 * The webhook secrets valid right now: one, or two while a rotation is under way (the new one and the one it
 * replaces), so the bot platform and the secret can be switched at different moments without a failed request.
 */
public interface CredentialsSource {

    /**
     * @return one or two secrets, never empty
     * @throws CredentialsUnavailableException when they cannot be read (Secrets Manager down): our fault, not the caller's
     */
    List<String> validSecrets();

    /** The secrets could not be read: the request is answered 503, not 401. */
    final class CredentialsUnavailableException extends RuntimeException {
        public CredentialsUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
