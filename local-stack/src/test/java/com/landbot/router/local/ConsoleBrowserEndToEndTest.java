package com.landbot.router.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.landbot.router.shared.Json;
import com.landbot.router.emulators.FunctionEnvironment;
import com.landbot.router.emulators.ProjectPaths;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in a real browser: Debian's Chromium, headless, driven through its ChromeDriver by Selenium,
 * against {@code scripts/run-local} started as a user starts it. Chromium is found or installed by
 * {@code scripts/chromium}. Screenshots of each step go to {@code local-stack/target/console-screenshots/}.
 */
@Tag("end-to-end")
class ConsoleBrowserEndToEndTest {

    static final Path SCREENSHOTS = ProjectPaths.root().resolve("local-stack/target/console-screenshots");

    private LocalStackProcess run;
    private ChromeDriver browser;
    private Path profile;

    @AfterEach
    void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (run != null) {
            run.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void anOperatorFindsTheFailedMessageReadsItsAttemptsRetriesItAndABulkOfThemAfterSlackIsFixedAndSeesARoutesValidationError()
            throws Exception {
        // With the classpath this Maven build made (no nested Maven build), on ports the servers choose as they bind.
        run = LocalStackProcess.start(Map.of(), System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                System.out).awaitReady(Duration.ofSeconds(90));
        int api = run.api().getPort();
        int inbox = run.inbox().getPort();

        // Slack is down: the local sink answers 404 channel_not_found (a revoked webhook), so the message ends ERROR.
        HttpResponse<String> outage = http("PUT", "http://127.0.0.1:" + inbox + "/slack/outage", null,
                "{\"status\":404,\"error\":\"channel_not_found\"}");
        assertEquals(200, outage.statusCode(), outage.body());
        String id = accept(api, "{\"topic\":\"sales\",\"description\":\"Hi! Can someone call me about the Enterprise plan?\"}");
        awaitStatus(api, id, "ERROR");

        startBrowser();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get("http://127.0.0.1:" + api + "/console");

        // A wrong token: refused, and back at the prompt with the reason.
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        signIn("not-the-admin-token");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-error"), "refused"));
        assertTrue(browser.findElement(By.id("login")).isDisplayed());
        assertFalse(browser.findElement(By.id("app")).isDisplayed());
        // The bot's token is no admin token either.
        signIn(FunctionEnvironment.LOCAL_DEV_TOKEN);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-error"), "not an admin token"));
        screenshot("01-token-prompt");

        signIn(FunctionEnvironment.LOCAL_ADMIN_TOKEN);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
        wait.until(ExpectedConditions.textToBe(By.id("count-ERROR"), "1"));
        By row = By.cssSelector("button.open-message[data-id='" + id + "']");
        wait.until(ExpectedConditions.elementToBeClickable(row));
        assertFalse(browser.getCurrentUrl().contains(FunctionEnvironment.LOCAL_ADMIN_TOKEN), "the token is never in a URL");
        assertEquals(FunctionEnvironment.LOCAL_ADMIN_TOKEN, browser.executeScript(
                "return window.sessionStorage.getItem('landbot-router.admin-token')"), "kept for this tab's session");
        screenshot("02-error-messages");

        // One message and its attempts.
        browser.findElement(row).click();
        wait.until(ExpectedConditions.textToBe(By.id("detail-id"), id));
        assertEquals("ERROR", browser.findElement(By.id("detail-status")).getText());
        List<WebElement> attempts = browser.findElements(By.cssSelector("#history-table tbody tr"));
        assertEquals(1, attempts.size());
        String attempt = attempts.get(0).getText();
        assertTrue(attempt.contains("PERMANENT_FAILURE") && attempt.contains("landbot-router/slack/sales")
                && attempt.contains("channel_not_found"), attempt);
        assertTrue(browser.findElement(By.id("retry-button")).isDisplayed());
        screenshot("03-message-error");

        // Slack is fixed; Retry; the page follows the message to SENT.
        assertEquals(204, http("DELETE", "http://127.0.0.1:" + inbox + "/slack/outage", null, null).statusCode());
        browser.findElement(By.id("retry-button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(40)).until(ExpectedConditions.textToBe(By.id("detail-status"), "SENT"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#history-table tbody tr"), 2));
        String second = browser.findElements(By.cssSelector("#history-table tbody tr")).get(1).getText();
        assertTrue(second.contains("SENT"), second);
        assertFalse(browser.findElement(By.id("retry-button")).isDisplayed(), "no Retry on a SENT message");
        assertEquals("—", browser.findElement(By.id("detail-error")).getText(), "no last error on a SENT message: the history has it");
        wait.until(ExpectedConditions.textToBe(By.id("count-ERROR"), "0"));
        screenshot("04-message-sent");
        JsonNode slack = Json.MAPPER.readTree(http("GET", "http://127.0.0.1:" + inbox + "/slack", null, null).body());
        assertEquals(1, slack.size(), "delivered once: " + slack);

        // Two more fail while Slack is down again; once it is fixed, one bulk retry of the topic sends both.
        assertEquals(200, http("PUT", "http://127.0.0.1:" + inbox + "/slack/outage", null,
                "{\"status\":404,\"error\":\"channel_not_found\"}").statusCode());
        String second1 = accept(api, "{\"topic\":\"sales\",\"description\":\"Second customer.\"}");
        String second2 = accept(api, "{\"topic\":\"sales\",\"description\":\"Third customer.\"}");
        awaitStatus(api, second1, "ERROR");
        awaitStatus(api, second2, "ERROR");
        assertEquals(204, http("DELETE", "http://127.0.0.1:" + inbox + "/slack/outage", null, null).statusCode());
        browser.findElement(By.id("refresh")).click();
        wait.until(ExpectedConditions.textToBe(By.id("count-ERROR"), "2"));
        new Select(browser.findElement(By.id("bulk-topic"))).selectByValue("sales");
        browser.findElement(By.id("bulk-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-result"), "Queued 2 of 2"));
        scrollTo("bulk-retry");
        screenshot("05-bulk-retry");
        awaitStatus(api, second1, "SENT");
        awaitStatus(api, second2, "SENT");
        assertEquals(3, Json.MAPPER.readTree(http("GET", "http://127.0.0.1:" + inbox + "/slack", null, null).body()).size());

        // Routes: a bad address is refused with the API's reason; a good one is saved.
        browser.findElement(By.id("topic-name")).sendKeys("support");
        new Select(browser.findElement(By.id("topic-channel"))).selectByValue("email");
        browser.findElement(By.id("topic-target")).sendKeys("support-at-example.com");
        browser.findElement(By.id("topic-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("topic-errors"), "is not an email address"));
        assertEquals("Route is invalid", browser.findElement(By.id("topic-error")).getText());
        scrollTo("topics");
        screenshot("06-route-validation-error");
        browser.findElement(By.id("topic-target")).clear();
        browser.findElement(By.id("topic-target")).sendKeys("support@example.com");
        browser.findElement(By.id("topic-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("topic-result"), "Created support"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.topic-row[data-topic='support']")));
        assertTrue(browser.findElement(By.cssSelector("tr.topic-row[data-topic='support']")).getText().contains("support@example.com"));

        // A token that stops working (rotated, expired) leads back to the prompt on the next call.
        browser.executeScript("window.sessionStorage.setItem('landbot-router.admin-token', 'rotated-away')");
        browser.findElement(By.id("refresh")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
        assertTrue(browser.findElement(By.id("token-error")).getText().contains("refused"));
        assertEquals(null, browser.executeScript("return window.sessionStorage.getItem('landbot-router.admin-token')"));

        // The page ran without a Content-Security-Policy violation (an inline script or style would be one).
        assertEquals(0L, ((JavascriptExecutor) browser).executeScript("return window.__cspViolations || 0"));
    }

    private void startBrowser() throws Exception {
        Process find = new ProcessBuilder(ProjectPaths.root().resolve("scripts/chromium").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> paths = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, find.waitFor(), "scripts/chromium could not find or install Chromium and its driver");
        profile = Files.createTempDirectory("console-test-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(paths.get(0));
        // Headless, and quiet on the network: this machine's network is closed, so Chromium must not try to phone home.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,1300");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(paths.get(1)))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        // Counts CSP violations from the page's first script on (the console's own script loads with defer).
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.__cspViolations = 0; document.addEventListener('securitypolicyviolation', () => window.__cspViolations++);"));
    }

    private void signIn(String token) {
        WebElement field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token);
        browser.findElement(By.id("token-submit")).click();
    }

    private void scrollTo(String id) {
        browser.executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path taken = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(taken, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String accept(int api, String json) throws Exception {
        HttpResponse<String> response = http("POST", "http://127.0.0.1:" + api + "/messages", FunctionEnvironment.LOCAL_DEV_TOKEN, json);
        assertEquals(202, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body()).get("id").asText();
    }

    private void awaitStatus(int api, String id, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            seen = Json.MAPPER.readTree(http("GET", "http://127.0.0.1:" + api + "/messages/" + id,
                    FunctionEnvironment.LOCAL_ADMIN_TOKEN, null).body()).get("status").asText();
            if (seen.equals(status)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(id + " read " + seen + ", not " + status + ", after 30 s:\n" + run.printed());
    }

    private static HttpResponse<String> http(String method, String url, String token, String body) throws Exception {
        return ApiCall.send(method, url, token, body);
    }
}
