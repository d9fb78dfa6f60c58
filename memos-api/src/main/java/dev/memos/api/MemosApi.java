package dev.memos.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI description of the service; served at /q/openapi, browsable at /q/swagger-ui. */
@OpenAPIDefinition(info = @Info(title = "memos", version = "v1",
        description = "A memory operating system for LLM agents: MemCubes with provenance, versions, lifecycle "
                + "and governance. Every error is application/problem+json (RFC 9457).",
        license = @License(name = "Apache-2.0")))
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "Authorization: Bearer <API key>")
public class MemosApi extends Application {
}
