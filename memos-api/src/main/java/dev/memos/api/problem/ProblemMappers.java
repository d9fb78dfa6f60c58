package dev.memos.api.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.memos.kernel.error.ConflictException;
import dev.memos.kernel.error.ForbiddenException;
import dev.memos.kernel.error.InvalidException;
import dev.memos.kernel.error.MemosException;
import dev.memos.kernel.error.NotFoundException;
import dev.memos.kernel.error.StaleVersionException;
import dev.memos.kernel.error.UnauthenticatedException;
import dev.memos.kernel.error.UnavailableException;
import dev.memos.kernel.error.NotConfiguredException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Maps every failure to an {@code application/problem+json} response. A caller's mistake is a
 * 4xx with a message that names the field; only a fault of memos itself is a 5xx, and then the body
 * carries a reference to the log line, never a stack trace.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response kernel(MemosException e) {
        return switch (e) {
            case NotFoundException nf -> Problems.response(404, e.code(), "Not found", e.getMessage(), null);
            case StaleVersionException stale ->
                    Problems.response(412, e.code(), "Precondition failed", e.getMessage(), null);
            case ConflictException c -> Problems.response(409, e.code(), "Conflict", e.getMessage(), null);
            case InvalidException invalid ->
                    Problems.response(400, e.code(), "Invalid request", e.getMessage(), invalid.field());
            case ForbiddenException f -> Problems.response(403, e.code(), "Forbidden", e.getMessage(), null);
            case UnauthenticatedException u -> Response.fromResponse(
                            Problems.response(401, e.code(), "Unauthenticated", e.getMessage(), null))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"memos\"").build();
            case NotConfiguredException n -> Problems.response(503, e.code(), "Not configured", e.getMessage(),
                    n.setting());
            case UnavailableException u -> {
                String reference = reference();
                LOG.warnf(e, "unavailable [%s]", reference);
                yield Response.fromResponse(Problems.response(503, new Problem(Problems.TYPE_BASE + e.code(),
                        "Service unavailable", 503, e.getMessage() + "; retry later", null, reference)))
                        .header("Retry-After", "1").build();
            }
        };
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return Problems.response(400, "unknown-field", "Invalid request",
                "unknown field '" + path(e) + "'; known fields are " + e.getKnownPropertyIds(), path(e));
    }

    @ServerExceptionMapper
    public Response wrongType(InvalidFormatException e) {
        return Problems.response(400, "invalid-json", "Invalid request",
                "field '" + path(e) + "' cannot take the value " + abbreviate(String.valueOf(e.getValue()))
                        + (e.getTargetType() == null ? "" : "; expected " + describe(e.getTargetType())), path(e));
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        String field = path(e);
        String detail = field.isEmpty()
                ? "the request body does not have the expected shape (a JSON object)"
                : "field '" + field + "' has the wrong type" + (e.getTargetType() == null ? ""
                        : "; expected " + describe(e.getTargetType()));
        return Problems.response(400, "invalid-json", "Invalid request", detail, field.isEmpty() ? null : field);
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e) {
        String field = path(e);
        Throwable cause = e.getCause();
        if (cause instanceof MemosException memos) {
            return kernel(memos);
        }
        if (cause instanceof JsonProcessingException parse && duplicate(parse) != null) {
            return malformed(parse);
        }
        return Problems.response(400, "invalid-json", "Invalid request",
                (field.isEmpty() ? "" : "field '" + field + "': ") + e.getOriginalMessage(), field.isEmpty() ? null : field);
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        String twice = duplicate(e);
        if (twice != null) {
            return Problems.response(400, "malformed-json", "Malformed JSON",
                    "the request body gives the field '" + twice + "' twice (" + e.getOriginalMessage() + ")", twice);
        }
        return Problems.response(400, "malformed-json", "Malformed JSON",
                "the request body is not valid JSON: " + e.getOriginalMessage(), null);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return json instanceof JsonMappingException mapping ? mapping(mapping) : malformed(json);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e);
        }
        String code = switch (status) {
            case 404 -> "route-not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            default -> "bad-request";
        };
        Response.StatusType type = Response.Status.fromStatusCode(status);
        return Problems.response(status, code, type == null ? "HTTP " + status : type.getReasonPhrase(),
                e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response internal(Throwable e) {
        String reference = reference();
        LOG.errorf(e, "internal error [%s]", reference);
        return Problems.response(500, new Problem(Problems.TYPE_BASE + "internal", "Internal error", 500,
                "memos failed to handle the request; quote reference " + reference + " when reporting it", null,
                reference));
    }

    /**
     * The problem this layer answers for {@code e}, for callers outside JAX-RS's exception mapping (a stream already
     * started, an MCP tool call). A request mapped from JSON arguments fails with the mapping error as the cause.
     */
    public Problem problem(Throwable e) {
        Throwable cause = e instanceof IllegalArgumentException && e.getCause() instanceof JsonProcessingException json
                ? json : e;
        Response response = switch (cause) {
            case MemosException m -> kernel(m);
            case UnrecognizedPropertyException u -> unknownField(u);
            case InvalidFormatException f -> wrongType(f);
            case MismatchedInputException m -> mismatched(m);
            case JsonMappingException m -> mapping(m);
            case JsonProcessingException j -> malformed(j);
            case WebApplicationException w -> http(w);
            default -> internal(cause);
        };
        return (Problem) response.getEntity();
    }

    private static final java.util.regex.Pattern DUPLICATE = java.util.regex.Pattern.compile("^Duplicate field '(.{0,200})'");

    /** The field a body gives twice (refused by the parser: {@link StrictJson}), or null for other errors. */
    private static String duplicate(JsonProcessingException e) {
        java.util.regex.Matcher m = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        return m.find() ? m.group(1) : null;
    }

    private static String reference() {
        return UUID.randomUUID().toString();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return "one of " + java.util.Arrays.toString(constants);
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 instant such as 2026-01-31T12:00:00Z";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return type == String.class ? "a string" : "an object";
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? "'" + value + "'" : "'" + value.substring(0, 60) + "…'";
    }
}
