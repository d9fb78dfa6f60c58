package dev.memos.client;

/**
 * An error answer of the service (RFC 9457 problem+json).
 *
 * @param type      a URI naming the kind of problem, e.g. {@code https://memos.dev/problems/not-found}
 * @param field     the request field at fault, when one is
 * @param reference quote it when reporting a server error
 */
public record Problem(String type, String title, int status, String detail, String field, String reference) {
    /** The last segment of {@link #type}: {@code not-found}, {@code invalid}, {@code stale-version} … */
    public String code() {
        return type == null ? "" : type.substring(type.lastIndexOf('/') + 1);
    }
}
