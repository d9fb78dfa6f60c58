package dev.memos.api.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memos.api.MemosConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;

/**
 * Limits checked on every request before any other route, each answered with a problem document: a request
 * line longer than {@code memos.api.max-uri-chars} (414), headers larger than {@code memos.api.max-header-bytes}
 * in all (431), a declared body over Quarkus' hard limit {@code quarkus.http.limits.max-body-size} (413). Quarkus'
 * own checks answer these with an empty body; Vert.x's decoder, which runs before any route, is given more room
 * ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) so that requests up to those sizes
 * reach this check. Beyond them, and for bytes no HTTP parser accepts (a control character in a header), the
 * decoder still answers alone, with an empty body (docs/api.md, "Errors").
 */
@Singleton
public class EdgeLimits {
    private final ObjectMapper json;
    private final int maxUriChars;
    private final int maxHeaderBytes;
    private final long maxBodyBytes;

    public EdgeLimits(ObjectMapper json, MemosConfig config,
                      @ConfigProperty(name = "quarkus.http.limits.max-body-size") io.quarkus.runtime.configuration.MemorySize hardBodyLimit) {
        this.json = json;
        this.maxUriChars = config.api().maxUriChars();
        this.maxHeaderBytes = config.api().maxHeaderBytes();
        this.maxBodyBytes = hardBodyLimit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.uri().length() > maxUriChars) {
            refuse(context, 414, "uri-too-long", "URI too long", "the request target is " + request.uri().length()
                    + " characters; the limit is " + maxUriChars);
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > maxHeaderBytes) {
            refuse(context, 431, "headers-too-large", "Request header fields too large", "the headers are "
                    + headerBytes + " bytes; the limit is " + maxHeaderBytes);
            return;
        }
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                refuse(context, 400, "invalid-header", "Invalid request", "Content-Length is not a number");
                return;
            }
            if (length > maxBodyBytes) {
                refuse(context, 413, "payload-too-large", "Payload too large", "the request body is " + length
                        + " bytes; the limit is " + maxBodyBytes);
                return;
            }
        }
        context.next();
    }

    private void refuse(RoutingContext context, int status, String code, String title, String detail) {
        String body;
        try {
            body = json.writeValueAsString(new Problem(Problems.TYPE_BASE + code, title, status, detail, null, null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // the body (if any) is not read: the connection is closed after the answer, as Quarkus does
        context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(body);
    }
}
