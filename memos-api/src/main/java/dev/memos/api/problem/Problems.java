package dev.memos.api.problem;

import jakarta.ws.rs.core.Response;

/** Builds problem responses. The type URIs are part of the API contract: never rename one. */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://memos.dev/problems/";

    private Problems() {
    }

    public static Response response(int status, String code, String title, String detail, String field) {
        return response(status, new Problem(TYPE_BASE + code, title, status, detail, field, null));
    }

    public static Response response(int status, Problem problem) {
        return Response.status(status).type(MEDIA_TYPE).entity(problem).build();
    }
}
