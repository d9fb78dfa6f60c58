package dev.memos.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.memos.api.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optimistic concurrency over HTTP: of N PATCHes with the same If-Match exactly one wins, the rest get 412. */
@QuarkusTest
class ConcurrentPatchApiTest {

    @Test
    void concurrent_patches_with_the_same_if_match_let_exactly_one_win() throws Exception {
        String key = Api.principal("racer")[1];
        String space = Api.space(key);
        String id = Api.cube(key, space, "start");
        int clients = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String text = "client " + i;
                calls.add(pool.submit(() -> {
                    go.await();
                    return as(key).header("If-Match", "\"1\"").body(Map.of("text", text))
                            .patch("/v1/cubes/" + id).statusCode();
                }));
            }
            go.countDown();
            for (Future<Integer> call : calls) {
                statuses.add(call.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 412), statuses.toString());
        as(key).get("/v1/cubes/" + id).then().body("version", equalTo(2));
        as(key).get("/v1/cubes/" + id + "/versions").then().body("items", hasSize(2));
    }
}
