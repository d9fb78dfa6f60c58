package dev.memos.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.memos.api.Api.problem;
import static org.hamcrest.Matchers.equalTo;

/** Every endpoint but health and the API description needs a valid key. */
@QuarkusTest
class AuthApiTest {
    private static final String CUBE = "/v1/cubes/" + UUID.randomUUID();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST, /v1/principals", "GET, /v1/principals/me", "POST, /v1/spaces", "GET, /v1/spaces",
            "GET, /v1/spaces/x", "DELETE, /v1/spaces/x", "GET, /v1/spaces/x/grants", "PUT, /v1/spaces/x/grants/p",
            "DELETE, /v1/spaces/x/grants/p", "POST, /v1/spaces/x/cubes", "GET, /v1/spaces/x/cubes",
            "GET, CUBE", "PATCH, CUBE", "DELETE, CUBE", "GET, CUBE/versions", "GET, CUBE/versions/1",
            "POST, CUBE/rollback", "POST, CUBE/transitions", "POST, CUBE/invalidate"})
    void missing_wrong_or_malformed_credentials_get_401(String method, String path) {
        String url = path.replace("CUBE", CUBE);
        for (RequestSpecification request : new RequestSpecification[]{
                RestAssured.given(),
                RestAssured.given().header("Authorization", "Bearer memos_not-a-real-key"),
                RestAssured.given().header("Authorization", "Basic YWRtaW46YWRtaW4="),
                RestAssured.given().header("Authorization", "Bearer "),
                RestAssured.given().header("Authorization", "Bearer ' OR '1'='1")}) {
            problem(request.contentType("application/json").body("{}").request(method, url).then(), 401, "unauthenticated")
                    .header("WWW-Authenticate", "Bearer realm=\"memos\"");
        }
    }

    @Test
    void health_and_the_api_description_need_no_key() {
        RestAssured.get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/q/openapi?format=json").then().statusCode(200)
                .body("info.title", equalTo("memos"))
                .body("paths.'/v1/cubes/{id}'.patch.summary", equalTo("Change a cube: makes version n+1"));
    }

    @Test
    void a_replaced_key_stops_working_at_once_and_the_new_one_works() {
        String[] agent = Api.principal("rotating-" + UUID.randomUUID().toString().substring(0, 6));
        String old = agent[1];
        Api.as(old).get("/v1/principals/me").then().statusCode(200); // now remembered by the key cache
        String fresh = Api.as(old).post("/v1/principals/me/key").then().statusCode(200)
                .body("id", equalTo(agent[0])).extract().path("apiKey");
        problem(Api.as(old).get("/v1/principals/me").then(), 401, "unauthenticated");
        Api.as(fresh).get("/v1/principals/me").then().statusCode(200).body("id", equalTo(agent[0]));

        String[] other = Api.principal("other-" + UUID.randomUUID().toString().substring(0, 6));
        problem(Api.as(fresh).post("/v1/principals/" + other[0] + "/key").then(), 403, "forbidden");
        Api.as(other[1]).get("/v1/principals/me").then().statusCode(200);
        String byAdmin = Api.as(Api.ADMIN_KEY).post("/v1/principals/" + other[0] + "/key").then().statusCode(200)
                .extract().path("apiKey");
        problem(Api.as(other[1]).get("/v1/principals/me").then(), 401, "unauthenticated");
        Api.as(byAdmin).get("/v1/principals/me").then().statusCode(200);
        problem(Api.as(Api.ADMIN_KEY).post("/v1/principals/" + UUID.randomUUID() + "/key").then(), 404, "not-found");
    }
}
