package dev.memos.api;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static dev.memos.api.Api.as;
import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit trail: what is recorded, who reads it, and that tampering with it is found. */
@QuarkusTest
class AuditApiTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void grants_erasures_exports_and_sensitive_reads_are_recorded_for_the_space_admin_to_read() {
        String[] owner = Api.principal("audit-owner");
        String[] reader = Api.principal("audit-reader");
        String space = Api.space(owner[1]);
        as(owner[1]).body(Map.of("role", "read", "clearances", List.of("health"))).put("/v1/spaces/" + space + "/grants/"
                + reader[0]).then().statusCode(200);
        String sensitive = as(owner[1]).body(Map.of("text", "Erin's blood type is AB negative", "sensitivity",
                List.of("health"))).post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
        as(reader[1]).get("/v1/cubes/" + sensitive).then().statusCode(200);
        // every way of reading it is recorded: a version, the history, a list page, a search
        as(reader[1]).get("/v1/cubes/" + sensitive + "/versions/1").then().statusCode(200);
        as(reader[1]).get("/v1/cubes/" + sensitive + "/versions").then().statusCode(200);
        as(reader[1]).get("/v1/spaces/" + space + "/cubes").then().statusCode(200);
        as(reader[1]).body(Map.of("query", "blood type", "consistency", "read-your-writes"))
                .post("/v1/spaces/" + space + "/search").then().statusCode(200)
                .body("hits.cube.id", org.hamcrest.Matchers.hasItem(sensitive));
        as(owner[1]).get("/v1/spaces/" + space + "/export").then().statusCode(200);
        as(owner[1]).delete("/v1/cubes/" + sensitive).then().statusCode(202);

        JsonPath trail = as(owner[1]).queryParam("space", space).get("/v1/audit").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("space.created", "grant.changed", "cube.read-sensitive", "cube.read-sensitive",
                        "cube.read-sensitive", "cube.read-sensitive", "cube.read-sensitive", "cube.read-sensitive",
                        "cube.read-sensitive", "space.exported", "cube.erased"),
                trail.getList("items.action"));
        assertEquals(List.of(owner[0], owner[0], reader[0], reader[0], reader[0], reader[0], reader[0], owner[0],
                owner[0], owner[0], owner[0]), trail.getList("items.actor"));
        assertEquals(List.of("1 labels", "1 labels; via version 1", "1 labels; via history",
                        "1 labels; via list", "1 labels; via search", "1 labels; via list", "1 labels; via history"),
                trail.getList("items.findAll { it.action == 'cube.read-sensitive' }.detail"));
        assertFalse(trail.prettify().contains("blood type"), "the trail never holds cube content");
        assertFalse(trail.getList("items.findAll { it.action.startsWith('cube.') }.detail").toString().contains("health"),
                "nor a cube's labels, which would outlive its erasure");

        problem(as(reader[1]).queryParam("space", space).get("/v1/audit").then(), 403, "forbidden");
        problem(as(owner[1]).get("/v1/audit").then(), 403, "forbidden");
        problem(as(owner[1]).get("/v1/audit/verify").then(), 403, "forbidden");
        problem(as(owner[1]).queryParam("space", space).queryParam("after", "-1").get("/v1/audit").then(), 400, "invalid");
        as(Api.ADMIN_KEY).get("/v1/audit").then().statusCode(200);
    }

    @Test
    void verify_finds_a_changed_entry_and_a_removed_one() throws SQLException {
        String[] owner = Api.principal("audit-tamper");
        String space = Api.space(owner[1]);
        String[] other = Api.principal("audit-tamper-other");
        as(owner[1]).body(Map.of("role", "write")).put("/v1/spaces/" + space + "/grants/" + other[0]).then().statusCode(200);
        as(owner[1]).body(Map.of("role", "read")).put("/v1/spaces/" + space + "/grants/" + other[0]).then().statusCode(200);
        as(Api.ADMIN_KEY).get("/v1/audit/verify").then().statusCode(200).body("intact", equalTo(true));

        long seq = as(owner[1]).queryParam("space", space).get("/v1/audit").then().extract().jsonPath()
                .getLong("items.find { it.detail?.startsWith('role=WRITE') }.seq");
        String original = column("detail", seq);
        try {
            update("update audit_entry set detail = 'role=READ' where seq = ?", seq);
            as(Api.ADMIN_KEY).get("/v1/audit/verify").then().statusCode(200).body("intact", equalTo(false))
                    .body("problem", equalTo("entry " + seq + " was changed (its hash does not match its fields)"));
        } finally {
            updateText("update audit_entry set detail = ? where seq = ?", original, seq);
        }
        as(Api.ADMIN_KEY).get("/v1/audit/verify").then().body("intact", equalTo(true));

        Map<String, Object> row = row(seq);
        try {
            update("delete from audit_entry where seq = ?", seq);
            as(Api.ADMIN_KEY).get("/v1/audit/verify").then().body("intact", equalTo(false))
                    .body("problem", containsString("entry " + seq + " is missing"));
        } finally {
            restore(row);
        }
        JsonPath intact = as(Api.ADMIN_KEY).get("/v1/audit/verify").then().extract().jsonPath();
        assertTrue(intact.getBoolean("intact"), intact.prettify());
        assertTrue(intact.getLong("checked") >= 3);
    }

    private String column(String name, long seq) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select " + name + " from audit_entry where seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    private Map<String, Object> row(long seq) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select * from audit_entry where seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.put(r.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT), r.getObject(i));
                }
                return row;
            }
        }
    }

    private void restore(Map<String, Object> row) throws SQLException {
        String columns = String.join(", ", row.keySet());
        String marks = String.join(", ", row.keySet().stream().map(k -> "?").toList());
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("insert into audit_entry (" + columns + ") values (" + marks + ")")) {
            int i = 1;
            for (Object value : row.values()) {
                s.setObject(i++, value);
            }
            s.executeUpdate();
        }
    }

    private void update(String sql, long seq) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, seq);
            s.executeUpdate();
        }
    }

    private void updateText(String sql, String text, long seq) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, text);
            s.setLong(2, seq);
            s.executeUpdate();
        }
    }
}
