package io.spinledger.external;

import io.spinledger.ports.Sleeper;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.spinledger.ports.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared HTTP exchange against a local MockWebServer, with waits recorded instead of slept. */
class HttpExchangeTest {
    private MockWebServer server;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final Sleeper recording = waits::add;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Request get() {
        return new Request.Builder().url(server.url("/thing?id=1")).get().build();
    }

    private static MockResponse status(int code, String body) {
        return new MockResponse.Builder().code(code).body(body).build();
    }

    private String name(HttpExchange exchange) {
        return exchange.execute(this::get, r -> r.jsonObject().path("name").asText());
    }

    @Test
    void a429IsRetriedAfterItsRetryAfterAndALongOneIsNotWaitedOut() {
        HttpExchange exchange = HttpExchange.builder("Svc").timeout(Duration.ofSeconds(5))
                .retry(RetryPolicy.exponential(3, Duration.ofMillis(100)).maxRetryAfter(Duration.ofSeconds(2)))
                .sleeper(recording).build();
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "1").body("{}").build());
        server.enqueue(status(200, "{\"name\":\"ok\"}"));

        assertThat(name(exchange)).isEqualTo("ok");
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(1));

        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "60").body("{}").build());
        assertThatThrownBy(() -> name(exchange)).isInstanceOfSatisfying(TransientExternalException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(429);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(60));
            assertThat(e.getMessage()).startsWith("Svc: HTTP 429 from http").contains("Retry-After 60")
                    .doesNotContain("id=1");
        });
        assertThat(server.getRequestCount()).as("60 s is beyond the 2 s cap: not retried").isEqualTo(3);
        assertThat(waits).hasSize(1);
    }

    @Test
    void a503IsRetriedWithJitteredExponentialBackoffThenSucceeds() {
        HttpExchange exchange = HttpExchange.builder("Svc")
                .retry(RetryPolicy.exponential(4, Duration.ofMillis(100))).sleeper(recording).build();
        server.enqueue(status(503, "busy"));
        server.enqueue(status(503, "busy"));
        server.enqueue(status(200, "{\"name\":\"back\"}"));

        assertThat(name(exchange)).isEqualTo("back");
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0).toMillis()).isBetween(100L, 120L);
        assertThat(waits.get(1).toMillis()).isBetween(200L, 240L);
    }

    @Test
    void persistentServerErrorsAreTransientAfterTheLastAttempt() {
        HttpExchange exchange = HttpExchange.builder("Svc")
                .retry(RetryPolicy.exponential(3, Duration.ofMillis(10))).sleeper(recording).build();
        for (int i = 0; i < 3; i++) {
            server.enqueue(status(500, "oops"));
        }

        assertThatThrownBy(() -> name(exchange)).isInstanceOf(TransientExternalException.class)
                .hasMessageContaining("HTTP 500");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void onlyTheFailuresThePolicyNamesAreRetried() {
        HttpExchange exchange = HttpExchange.builder("Svc")
                .retry(RetryPolicy.exponential(4, Duration.ofMillis(10)).retryOn(e -> e.httpStatus() == 503))
                .sleeper(recording).build();
        server.enqueue(status(502, "bad gateway"));

        assertThatThrownBy(() -> name(exchange)).isInstanceOf(TransientExternalException.class)
                .hasMessageContaining("HTTP 502");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aTimeoutIsTransient() {
        HttpExchange exchange = HttpExchange.builder("Svc").timeout(Duration.ofMillis(300)).build();
        server.enqueue(new MockResponse.Builder().code(200).body("{\"name\":\"late\"}")
                .headersDelay(3, TimeUnit.SECONDS).build());

        long t0 = System.nanoTime();
        assertThatThrownBy(() -> name(exchange)).isInstanceOf(TransientExternalException.class)
                .hasMessageContaining("timeout calling");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2_500);
    }

    @Test
    void a404IsARefusalThatIsNotRetriedUnlessTheCallerMakesItAValue() {
        HttpExchange exchange = HttpExchange.builder("Svc")
                .retry(RetryPolicy.exponential(3, Duration.ofMillis(10))).sleeper(recording).build();
        server.enqueue(status(404, "{\"error\":\"Not Found\"}"));

        assertThatThrownBy(() -> name(exchange)).isInstanceOfSatisfying(ExternalServiceException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(404);
            assertThat(e.getMessage()).contains("HTTP 404").contains("Not Found");
        });
        assertThat(server.getRequestCount()).isEqualTo(1);

        server.enqueue(status(404, "{\"error\":\"Not Found\"}"));
        String found = exchange.execute(this::get, r -> "found", r -> r.status() == 404 ? "none" : "other");
        assertThat(found).isEqualTo("none");
        assertThat(waits).isEmpty();
    }

    @Test
    void aGarbageBodyIsAnExternalServiceExceptionFromTheParser() {
        HttpExchange exchange = HttpExchange.builder("Svc")
                .retry(RetryPolicy.exponential(3, Duration.ofMillis(10))).sleeper(recording).build();
        server.enqueue(status(200, "<html>not json"));

        assertThatThrownBy(() -> name(exchange)).isInstanceOf(ExternalServiceException.class)
                .hasMessageContaining("unreadable JSON");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void theCircuitOpensAfterConsecutiveFailuresAndClosesAfterAGoodTrial() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
        HttpExchange exchange = HttpExchange.builder("Svc")
                .circuit(new CircuitPolicy(2, Duration.ofSeconds(30), 1, clock)).sleeper(recording).build();
        server.enqueue(status(500, "down"));
        server.enqueue(status(500, "down"));

        assertThatThrownBy(() -> name(exchange)).isInstanceOf(TransientExternalException.class);
        assertThatThrownBy(() -> name(exchange)).isInstanceOf(TransientExternalException.class);
        assertThat(exchange.resilience().circuitState()).contains(CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> name(exchange)).isInstanceOf(TransientExternalException.class)
                .hasMessageContaining("circuit open");
        assertThat(server.getRequestCount()).as("no request while open").isEqualTo(2);

        clock.advance(Duration.ofSeconds(31));
        server.enqueue(status(200, "{\"name\":\"up\"}"));
        assertThat(name(exchange)).isEqualTo("up");
        assertThat(exchange.resilience().circuitState()).contains(CircuitBreaker.State.CLOSED);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void anOpenCircuitIsNotRetried() {
        ManualClock clock = new ManualClock(Instant.parse("2026-12-01T00:00:00Z"));
        HttpExchange exchange = HttpExchange.builder("Svc")
                .retry(RetryPolicy.exponential(5, Duration.ofMillis(10)))
                .circuit(new CircuitPolicy(2, Duration.ofSeconds(30), 1, clock)).sleeper(recording).build();
        for (int i = 0; i < 5; i++) {
            server.enqueue(status(503, "down"));
        }

        assertThatThrownBy(() -> name(exchange)).isInstanceOf(TransientExternalException.class)
                .hasMessageContaining("circuit open");
        assertThat(server.getRequestCount()).as("two failures open it; the third attempt is refused").isEqualTo(2);
        assertThat(waits).hasSize(2);
    }

    @Test
    void requestsAreSpacedByTheMinimumInterval() {
        HttpExchange exchange = HttpExchange.builder("Svc").minInterval(Duration.ofSeconds(5))
                .sleeper(recording).build();
        server.enqueue(status(200, "{\"name\":\"a\"}"));
        server.enqueue(status(200, "{\"name\":\"b\"}"));

        assertThat(name(exchange)).isEqualTo("a");
        assertThat(waits).isEmpty();
        assertThat(name(exchange)).isEqualTo("b");
        assertThat(waits).hasSize(1);
        assertThat(waits.get(0)).isGreaterThan(Duration.ofSeconds(4)).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theClientSideRateLimitFailsTransientlyWithoutARequest() {
        HttpExchange exchange = HttpExchange.builder("Svc").rateLimit(1, Duration.ofMinutes(1), Duration.ZERO).build();
        server.enqueue(status(200, "{\"name\":\"a\"}"));

        assertThat(name(exchange)).isEqualTo("a");
        assertThatThrownBy(() -> name(exchange)).isInstanceOf(TransientExternalException.class)
                .hasMessageContaining("client-side rate limit of 1/min");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        assertThat(HttpExchange.retryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(HttpExchange.retryAfter(" 0 ", now)).isEqualTo(Duration.ZERO);
        assertThat(HttpExchange.retryAfter("Tue, 01 Dec 2026 10:00:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpExchange.retryAfter("Tue, 01 Dec 2026 09:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(HttpExchange.retryAfter("soon", now)).isNull();
        assertThat(HttpExchange.retryAfter(null, now)).isNull();
    }
}
