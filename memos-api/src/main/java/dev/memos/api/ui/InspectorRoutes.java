package dev.memos.api.ui;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The web inspector is static: {@code META-INF/resources/ui/} (index.html, app.js, style.css) served by Quarkus,
 * talking to the REST API with the key the user signs in with (docs/inspector.md). This only sends {@code /ui} to
 * {@code /ui/}, so that the page's relative links resolve.
 */
@ApplicationScoped
public class InspectorRoutes {
    void routes(@Observes Router router) {
        // Vert.x matches "/ui" for "/ui/" too: only the bare path is sent on, the rest goes to the static files
        router.get("/ui").handler(context -> {
            if (context.request().path().equals("/ui")) {
                context.redirect("/ui/");
            } else {
                context.next();
            }
        });
    }
}
