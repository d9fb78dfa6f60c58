package dev.memos.api;

import dev.memos.testkit.Scratch;
import dev.memos.testkit.ServiceProcess;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web inspector in a real browser: Debian's headless Chromium (scripts/chromium.sh, run by ./memos test)
 * driven through its WebDriver, against the packaged service.
 */
class InspectorIT {
    private static final String BROWSER = System.getenv().getOrDefault("MEMOS_CHROMIUM", "/usr/bin/chromium");
    private static final String DRIVER = System.getenv().getOrDefault("MEMOS_CHROMEDRIVER", "/usr/bin/chromedriver");
    private static ServiceProcess service;
    private static String admin;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        if (!new File(BROWSER).canExecute() || !new File(DRIVER).canExecute()) {
            throw new IllegalStateException("Chromium and its driver are needed at " + BROWSER + " and " + DRIVER
                    + ": run scripts/chromium.sh (./memos test does)");
        }
        service = new ServiceProcess(ServiceProcess.packagedJar(), Scratch.directory("memos-ui"), Map.of()).start();
        admin = Files.readString(service.dataDir().resolve("admin.key")).strip();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1400,1000");
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).build();
        browser = new ChromeDriver(driver, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterEach
    void closeBrowser() {
        browser.quit();
    }

    private static RequestSpecification as(String key) {
        return RestAssured.given().baseUri(service.baseUri()).header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON);
    }

    /** A new principal's key, with a space of its own. */
    private static String owner(String name, String space) {
        String key = as(admin).body(Map.of("name", name, "kind", "user")).post("/v1/principals").then().statusCode(201)
                .extract().path("apiKey");
        as(key).body(Map.of("name", space, "description", "seen in the inspector")).post("/v1/spaces").then().statusCode(201);
        return key;
    }

    private static String write(String key, String space, Map<String, Object> body) {
        return as(key).body(body).post("/v1/spaces/" + space + "/cubes").then().statusCode(201).extract().path("id");
    }

    private void signIn(String key) {
        browser.get(service.baseUri() + "/ui");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key"))).sendKeys(key);
        browser.findElement(By.cssSelector("#sign-in-form button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-out")));
    }

    /**
     * Saves what the browser shows as target/inspector-screenshots/{name}.png; docs/images/ keeps copies of them
     * for docs/inspector.md.
     */
    private void screenshot(String name) {
        try {
            Path dir = Path.of("target", "inspector-screenshots");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private WebElement shown(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    @Test
    void signs_in_with_a_key_and_browses_spaces_and_cubes() {
        String key = owner("ui-reader", "ui-notes");
        String id = write(key, "ui-notes", Map.of("text", "Alice prefers green tea in the morning", "tags", List.of("drinks")));

        browser.get(service.baseUri() + "/ui");
        shown(By.id("key")).sendKeys("not-a-key-0123456789");
        browser.findElement(By.cssSelector("#sign-in-form button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "not valid"));

        signIn(key);
        shown(By.linkText("ui-notes"));
        screenshot("spaces");
        browser.findElement(By.linkText("ui-notes")).click();
        shown(By.linkText(id)).click();
        assertEquals("Alice prefers green tea in the morning", shown(By.id("cube-text")).getText());
        assertTrue(browser.findElement(By.id("who")).getText().startsWith("ui-reader"));

        browser.get(service.baseUri() + "/ui/#/space/ui-notes/scheduler");
        assertTrue(shown(By.id("scheduler-log")).getText().contains("no decision"));
        browser.get(service.baseUri() + "/ui/#/space/ui-notes/tiers");
        assertTrue(shown(By.id("engine")).getText().contains("memos.engine.model"), "no engine in this service");
    }

    @Test
    void search_shows_hits_with_the_explain_breakdown() {
        String key = owner("ui-searcher", "ui-search");
        write(key, "ui-search", Map.of("text", "Carol is allergic to peanuts"));
        write(key, "ui-search", Map.of("text", "Bob moved to Berlin in March"));
        signIn(key);
        browser.get(service.baseUri() + "/ui/#/space/ui-search/search");
        shown(By.id("query")).sendKeys("Who is allergic to peanuts?");
        browser.findElement(By.cssSelector("#search-form button")).click();
        WebElement first = shown(By.cssSelector("#hits tbody tr"));
        assertTrue(first.getText().contains("Carol is allergic to peanuts"), first.getText());
        List<String> header = browser.findElements(By.cssSelector("#hits th")).stream().map(WebElement::getText).toList();
        assertTrue(header.containsAll(List.of("keyword rank", "vector rank", "fused")), header.toString());
        assertTrue(first.getText().contains("recency"), "the boosts are listed: " + first.getText());
        screenshot("search");
    }

    @Test
    void a_cubes_history_shows_what_changed_and_its_lineage_is_drawn() {
        String key = owner("ui-historian", "ui-history");
        String id = write(key, "ui-history", Map.of("text", "Bob lives in Paris"));
        as(key).header("If-Match", "\"1\"").body(Map.of("text", "Bob lives in Berlin now"))
                .patch("/v1/cubes/" + id).then().statusCode(200);
        String derived = write(key, "ui-history", Map.of("text", "Bob moved from Paris to Berlin", "derivedFrom", List.of(id)));
        signIn(key);
        browser.get(service.baseUri() + "/ui/#/cube/" + id);
        WebElement second = shown(By.cssSelector("#versions .version[data-version='2']"));
        assertEquals("Paris", second.findElement(By.tagName("del")).getText());
        assertEquals("Berlin now", second.findElement(By.tagName("ins")).getText());

        WebElement picture = shown(By.cssSelector("#lineage svg.lineage"));
        List<String> refs = picture.findElements(By.cssSelector("g.node")).stream().map(n -> n.getAttribute("data-ref")).toList();
        assertTrue(refs.containsAll(List.of(id + "@1", id + "@2", derived + "@1")), refs.toString());
        List<String> edges = picture.findElements(By.cssSelector("g.edge")).stream().map(e -> e.getAttribute("data-type")).toList();
        assertTrue(edges.containsAll(List.of("VERSION_OF", "DERIVED_FROM")), edges.toString());
        screenshot("cube-history-lineage");
    }

    @Test
    void a_key_without_a_grant_sees_nothing() {
        String key = owner("ui-owner", "ui-private");
        String id = write(key, "ui-private", Map.of("text", "The safe's code is 4312"));
        String stranger = as(admin).body(Map.of("name", "ui-stranger", "kind", "user")).post("/v1/principals").then()
                .statusCode(201).extract().path("apiKey");
        signIn(stranger);
        shown(By.id("no-spaces"));
        assertTrue(browser.findElements(By.linkText("ui-private")).isEmpty());
        browser.get(service.baseUri() + "/ui/#/cube/" + id);
        shown(By.id("not-found"));
        assertFalse(browser.getPageSource().contains("4312"));
        browser.get(service.baseUri() + "/ui/#/space/ui-private/cubes");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#tab-cubes .error")));
        assertFalse(browser.getPageSource().contains("4312"));
    }

    @Test
    void markup_and_script_in_a_cube_render_as_text() {
        String key = owner("ui-hostile", "ui-hostile");
        String hostile = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script><b>bold</b>";
        String id = write(key, "ui-hostile", Map.of("text", hostile, "tags", List.of("x")));
        signIn(key);
        browser.get(service.baseUri() + "/ui/#/cube/" + id);
        WebElement text = shown(By.id("cube-text"));
        assertEquals(hostile, text.getText());
        assertTrue(text.findElements(By.xpath(".//*")).isEmpty(), "no element was made from the text");
        browser.get(service.baseUri() + "/ui/#/space/ui-hostile/cubes");
        shown(By.cssSelector("#cubes tbody tr"));
        browser.get(service.baseUri() + "/ui/#/space/ui-hostile/search");
        shown(By.id("query")).sendKeys("bold");
        browser.findElement(By.cssSelector("#search-form button")).click();
        shown(By.cssSelector("#hits tbody tr"));
        assertNull(((JavascriptExecutor) browser).executeScript("return window.__pwned;"), "no script of the cube ran");
        screenshot("hostile-text-inert");
        assertTrue(browser.findElements(By.cssSelector("img")).isEmpty());
    }

    @Test
    void delete_erases_and_shows_the_report() {
        String key = owner("ui-eraser", "ui-erase");
        String id = write(key, "ui-erase", Map.of("text", "Dana's passport number is X1234567"));
        signIn(key);
        browser.get(service.baseUri() + "/ui/#/cube/" + id);
        shown(By.id("delete-cube")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.withTimeout(Duration.ofSeconds(90))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("erasure-status"), "VERIFIED"));
        assertTrue(browser.findElements(By.cssSelector("#erasure-report tbody tr")).size() >= 3, "a row per place checked");
        screenshot("erasure-report");
        as(key).get("/v1/cubes/" + id).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("DELETED"));
    }

    @Test
    void the_page_forbids_inline_script_and_framing() {
        RestAssured.given().baseUri(service.baseUri()).redirects().follow(false).get("/ui").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.endsWith("/ui/"));
        String csp = RestAssured.given().baseUri(service.baseUri()).get("/ui/").then().statusCode(200)
                .extract().header("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
    }
}
