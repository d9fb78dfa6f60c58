package dev.memos.client;

/**
 * What a call to memos can fail with. {@link Api} carries the service's problem; its subclasses name the common
 * cases so that callers can catch them; {@link Unreachable} means no answer came.
 */
public abstract sealed class MemosException extends RuntimeException {
    MemosException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The service answered with an error status. */
    public static sealed class Api extends MemosException {
        private final transient Problem problem;

        Api(Problem problem) {
            super("HTTP " + problem.status() + " " + problem.title() + ": " + problem.detail(), null);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }

        public int status() {
            return problem.status();
        }

        static Api of(Problem p) {
            return switch (p.status()) {
                case 400, 413, 414, 415 -> new Invalid(p);
                case 401 -> new Unauthenticated(p);
                case 403 -> new Forbidden(p);
                case 404 -> new NotFound(p);
                case 409 -> new Conflict(p);
                case 412, 428 -> new StaleVersion(p);
                case 429, 503 -> new Unavailable(p);
                default -> new Api(p);
            };
        }
    }

    /** 400 and other refusals of the request's form; {@code problem().field()} names the field. */
    public static final class Invalid extends Api {
        Invalid(Problem p) {
            super(p);
        }
    }

    /** 401: no key, or a key the service does not know or has revoked. */
    public static final class Unauthenticated extends Api {
        Unauthenticated(Problem p) {
            super(p);
        }
    }

    /** 403: the key's grants do not allow it. */
    public static final class Forbidden extends Api {
        Forbidden(Problem p) {
            super(p);
        }
    }

    /** 404: no such thing, or one the key may not read (the service does not tell them apart). */
    public static final class NotFound extends Api {
        NotFound(Problem p) {
            super(p);
        }
    }

    /** 409: it exists already, or the idempotency key was used for another write. */
    public static final class Conflict extends Api {
        Conflict(Problem p) {
            super(p);
        }
    }

    /** 412 or 428: the change was based on a version that is no longer the live one (read it again). */
    public static final class StaleVersion extends Api {
        StaleVersion(Problem p) {
            super(p);
        }
    }

    /** 503 or 429 after the client's retries: the service or one of its parts is busy or down. */
    public static final class Unavailable extends Api {
        Unavailable(Problem p) {
            super(p);
        }
    }

    /** No answer: the service could not be reached, or the connection broke (after the client's retries). */
    public static final class Unreachable extends MemosException {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
