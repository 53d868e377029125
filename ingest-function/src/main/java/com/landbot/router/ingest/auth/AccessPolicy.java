package com.landbot.router.ingest.auth;

import com.landbot.router.ingest.auth.AuthResult.Authenticated;
import com.landbot.router.ingest.auth.AuthResult.Denied;
import com.landbot.router.ingest.auth.AuthResult.Reason;
import com.landbot.router.shared.Log;
import java.time.Clock;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Who may call what: the bot's credentials, an admin's, or either, per {@link Access}; and each accepted signature
 * spent ({@link UsedSignatures}), so a signed request is accepted once.
 *
 * <p>The credentials the route takes are checked first, so an admin secret Secrets Manager cannot read right now
 * never fails a bot's request. The bot's valid credentials on an admin route are told apart (403) from wrong ones
 * (401): the bot cannot change routing or list other customers' messages, and its author should know why.
 */
public final class AccessPolicy {

    /**
     * Whose credentials a route takes. Listing, retrying and routing are for operators, not for the bot; the operator
     * console's static files take none (they hold no data).
     */
    public enum Access { ANYONE, BOT, BOT_OR_ADMIN, ADMIN }

    /** Who was let in: a message's attempt history is shown to an operator, its status to the bot. */
    public enum Caller { ANYONE, BOT, ADMIN }

    /** What the handler answers: go on, 401 or 403. */
    public sealed interface Decision {

        /**
         * @param caller         whose credentials were accepted
         * @param spentSignature the signature this request used up; null for a bearer token
         */
        record Allowed(Caller caller, String spentSignature) implements Decision {
        }

        /** 401; {@code detail} is safe to show (it never quotes what was sent). */
        record Unauthenticated(Reason reason, String detail) implements Decision {
        }

        /** 403: valid credentials, of the wrong kind for this route. */
        record Forbidden(String detail) implements Decision {
        }
    }

    private final Authenticator bot;
    /** Null when no admin credentials are configured: the admin routes then answer 401 to everyone. */
    private final Authenticator admin;
    private final UsedSignatures usedSignatures;
    private final Clock clock;

    public AccessPolicy(Authenticator bot, Authenticator admin, UsedSignatures usedSignatures, Clock clock) {
        this.bot = bot;
        this.admin = admin;
        this.usedSignatures = usedSignatures;
        this.clock = clock;
    }

    /**
     * @throws CredentialsSource.CredentialsUnavailableException when the secrets cannot be read
     * @throws SdkException when a signature's use cannot be recorded
     */
    public Decision decide(Access access, AuthRequest request) {
        if (access == Access.ANYONE) {
            return new Decision.Allowed(Caller.ANYONE, null);
        }
        AuthResult result = access == Access.ADMIN ? asAdmin(request) : bot.authenticate(request);
        Caller caller = access == Access.ADMIN ? Caller.ADMIN : Caller.BOT;
        if (!(result instanceof Authenticated) && access == Access.BOT_OR_ADMIN
                && asAdmin(request) instanceof Authenticated asAdmin) {
            result = asAdmin;
            caller = Caller.ADMIN;
        }
        if (result instanceof Authenticated authenticated) {
            return spend(caller, authenticated);
        }
        if (access == Access.ADMIN && bot.authenticate(request) instanceof Authenticated) {
            return new Decision.Forbidden("this route needs admin credentials");
        }
        Reason reason = ((Denied) result).reason();
        return new Decision.Unauthenticated(reason, access == Access.ADMIN && admin == null
                ? "no admin credentials are configured for this deployment"
                : reason.detail());
    }

    /**
     * Gives back the signature an allowed request spent, after an answer that asks for the same request again
     * (a 5xx or a 409, both with Retry-After) and changed nothing: the caller's retry of the identical bytes is
     * then accepted. Best effort: if the record cannot be deleted, the retry needs a fresh signature.
     */
    public void giveBack(Decision.Allowed allowed) {
        if (allowed.spentSignature() == null) {
            return;
        }
        try {
            usedSignatures.forget(allowed.spentSignature());
        } catch (SdkException e) {
            Log.warn("auth.signature.give_back_failed", "cause", e.getClass().getSimpleName());
        }
    }

    private Decision spend(Caller caller, Authenticated authenticated) {
        if (authenticated.signature() == null) {
            return new Decision.Allowed(caller, null);
        }
        AuthResult.Signature signature = authenticated.signature();
        // Past this instant the timestamp check refuses the signature anyway.
        Instant windowCloses = Instant.ofEpochSecond(signature.timestamp()).plus(Authenticator.MAX_CLOCK_SKEW).plusSeconds(1);
        if (!usedSignatures.firstUse(signature.hex(), clock.instant(), windowCloses)) {
            return new Decision.Unauthenticated(Reason.REPLAYED_SIGNATURE, Reason.REPLAYED_SIGNATURE.detail());
        }
        return new Decision.Allowed(caller, signature.hex());
    }

    /** Denied as missing credentials when no admin credentials are configured. */
    private AuthResult asAdmin(AuthRequest request) {
        return admin == null ? new Denied(Reason.MISSING_CREDENTIALS) : admin.authenticate(request);
    }
}
