package dev.paritysync.hotel.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paritysync.core.auth.Secret;
import dev.paritysync.core.classify.Action;
import dev.paritysync.core.classify.ClassificationTable;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Headers;
import dev.paritysync.core.http.Request;
import dev.paritysync.core.http.Response;
import dev.paritysync.hotel.batch.CellRange;
import dev.paritysync.hotel.batch.RangeCompressor;
import dev.paritysync.hotel.channel.ChannelLimits;
import dev.paritysync.hotel.channel.ChannelMapping;
import dev.paritysync.hotel.testing.DemoPortfolio;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cloudbeds adapter against the published Build-To-Us contract, served by Stoplight Prism (a
 * validating mock server, pinned to 5.14.2) on loopback: every request the adapter encodes for a
 * demo-sized portfolio is accepted, and a request that breaks the contract is rejected with the
 * field's path, which the adapter turns into a field error and the engine's table into a validation
 * dead letter.
 *
 * <p>Needs the contract ({@code <paritysync.shared>/fixtures/hotel/cloudbeds-ota-build-to-us/}) and
 * Prism ({@code PARITYSYNC_PRISM}, the path of the {@code prism} binary; {@code .ci/run} installs
 * it); skips with a message when either is absent.
 */
class CloudbedsContractTest {
  static final String CONTRACT =
      "fixtures/hotel/cloudbeds-ota-build-to-us/ota-build-to-us-v5.3-openapi.yaml";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "s3cr3ts4uc3";
  private static final Duration STARTUP = Duration.ofSeconds(60);

  static final List<String> PROPERTIES = DemoPortfolio.PROPERTIES;
  static final List<String> ROOMS = DemoPortfolio.ROOMS;
  static final List<String> PLANS = DemoPortfolio.PLANS;
  static final LocalDate FIRST = DemoPortfolio.FIRST;
  static final LocalDate LAST = DemoPortfolio.LAST;

  private static Process prism;
  private static URI base;
  private static HttpClient http;

  @BeforeAll
  static void startPrism(@TempDir Path dir) throws Exception {
    String shared = System.getProperty("paritysync.shared");
    assumeTrue(
        shared != null,
        "system property paritysync.shared is not set (surefire sets it to <repo>/../shared);"
            + " skipping the Cloudbeds contract test");
    Path contract = Path.of(shared).resolve(CONTRACT).toAbsolutePath().normalize();
    assumeTrue(
        Files.isRegularFile(contract),
        "Cloudbeds contract not found at "
            + contract
            + " (shared fixtures absent); skipping the Cloudbeds contract test");
    String binary = System.getenv("PARITYSYNC_PRISM");
    assumeTrue(
        binary != null && !binary.isBlank(),
        "PARITYSYNC_PRISM is not set (the path of Stoplight Prism 5.14.2's prism binary;"
            + " .ci/run installs it); skipping the Cloudbeds contract test");
    assumeTrue(
        Files.isExecutable(Path.of(binary)),
        "PARITYSYNC_PRISM="
            + binary
            + " is not an executable; skipping the Cloudbeds contract test");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("prism.log");
    prism =
        new ProcessBuilder(
                binary,
                "mock",
                contract.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--errors")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    base = URI.create("http://127.0.0.1:" + port);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!listening(port)) {
      if (!prism.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "prism did not listen on 127.0.0.1:"
                + port
                + " within "
                + STARTUP
                + "; its log:\n"
                + Files.readString(log));
      }
      Thread.sleep(100); // a bounded wait for a real process to open its port
    }
  }

  @AfterAll
  static void stopPrism() throws InterruptedException {
    if (prism == null) {
      return;
    }
    prism.descendants().forEach(ProcessHandle::destroy);
    prism.destroy();
    if (!prism.waitFor(10, TimeUnit.SECONDS)) {
      prism.descendants().forEach(ProcessHandle::destroyForcibly);
      prism.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  static CloudbedsAdapter adapter(URI base) {
    return new CloudbedsAdapter(base, mapping(), Secret.of(SECRET), "EUR", "paritysync");
  }

  /** PMS codes → channel codes, unlike each other so the mapping shows. */
  static ChannelMapping mapping() {
    Map<String, String> rooms = new LinkedHashMap<>();
    for (int i = 0; i < ROOMS.size(); i++) {
      rooms.put(ROOMS.get(i), Integer.toString(61_365 + i));
    }
    Map<String, String> plans = new LinkedHashMap<>();
    for (String p : PLANS) {
      plans.put(p, "rate_" + p.toLowerCase(java.util.Locale.ROOT));
    }
    return new ChannelMapping(rooms, plans);
  }

  /**
   * The demo's shape: 5 properties × 8 room types × 3 rate plans over a year, availability,
   * seasonal and weekend rates and every restriction kind, packed into batches by the real {@link
   * RangeCompressor} with the default limits and the adapter's size estimate.
   */
  static List<List<CellRange>> batches(CloudbedsAdapter adapter) {
    RangeCompressor compressor = new RangeCompressor(ChannelLimits.DEFAULTS, adapter::estimateSize);
    List<List<CellRange>> out = new ArrayList<>();
    for (String property : PROPERTIES) {
      out.addAll(compressor.compress(DemoPortfolio.cells(property)));
    }
    return out;
  }

  private static Response send(Request r) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(r.uri())
            .timeout(Duration.ofSeconds(30))
            .method(r.method(), HttpRequest.BodyPublishers.ofByteArray(r.body()));
    r.headers().asMap().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
    HttpResponse<byte[]> response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, List<String>> headers = new LinkedHashMap<>(response.headers().map());
    return new Response(
        response.statusCode(), Headers.of(headers), response.body(), false, Duration.ZERO);
  }

  private static Request withBody(Request r, byte[] body) {
    return new Request(r.method(), r.uri(), r.headers(), body, r.timeout());
  }

  @Test
  void everyRequestForTheDemoPortfolioIsAccepted() throws Exception {
    CloudbedsAdapter adapter = adapter(base);
    List<List<CellRange>> batches = batches(adapter);
    int rows = 0;
    List<String> rejected = new ArrayList<>();
    for (List<CellRange> batch : batches) {
      List<ChannelAdapter.Part> parts =
          adapter.encode("B" + batches.indexOf(batch), batch.get(0).property(), batch);
      assertThat(parts).hasSize(1);
      Request request = parts.get(0).request();
      Response response = send(request);
      Outcome outcome = adapter.decode(response);
      if (ClassificationTable.defaults().classify(outcome) != Action.ACK) {
        rejected.add(batch.get(0).property() + " " + response.status() + " " + response.bodyText());
      }
      rows += batch.size();
    }

    assertThat(rejected).isEmpty();
    assertThat(batches.size()).isGreaterThan(PROPERTIES.size());
    // every availability week, every rate season and restriction change, of 5 × 8 rooms
    assertThat(rows).isGreaterThan(5 * 8 * 52);
  }

  @Test
  void aRequestBreakingTheContractIsRejectedWithItsPathAndBecomesAValidationDeadLetter()
      throws Exception {
    CloudbedsAdapter adapter = adapter(base);
    List<CellRange> batch = batches(adapter).get(0);
    Request valid = adapter.encode("B1", batch.get(0).property(), batch).get(0).request();
    ObjectNode body = (ObjectNode) JSON.readTree(valid.body());
    ((ObjectNode) body.get("Inventory").get(3)).put("units", -1);

    Response response = send(withBody(valid, JSON.writeValueAsBytes(body)));
    Outcome outcome = adapter.decode(response);

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.bodyText()).contains("\"Inventory\",\"3\",\"units\"");
    assertThat(outcome.fieldErrors())
        .extracting(FieldError::path)
        .containsExactly("Inventory[3].units");
    assertThat(adapter.rangesOf(outcome.fieldErrors())).containsExactly(3);
    assertThat(ClassificationTable.defaults().classify(outcome))
        .isEqualTo(Action.deadLetter("validation"));
  }

  @Test
  void theReadersGetAriRequestIsAcceptedAndTheContractsExampleAnswerIsRead() throws Exception {
    CloudbedsAdapter adapter = adapter(base);
    ChannelAdapter.Reader reader = adapter.reader().orElseThrow();

    for (String property : PROPERTIES) {
      List<Request> requests = reader.requests(property, FIRST, LAST);
      assertThat(requests).hasSize(1);
      Response response = send(requests.get(0));
      assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
      assertThat(ClassificationTable.defaults().classify(adapter.decode(response)))
          .isEqualTo(Action.ACK);

      // Prism answers the contract's example: room 61365 is mapped (STD), its rates are not.
      ChannelAdapter.Snapshot snapshot = reader.snapshot(property, List.of(response));
      assertThat(snapshot.unmapped()).contains("61365/rate_456", "61366/rate_888");
      assertThat(snapshot.cells())
          .filteredOn(c -> c.roomType().equals("STD") && c.ratePlan() == null)
          .extracting(c -> c.values().availability())
          .containsOnly(5);
    }
  }

  @Test
  void aRequestWithoutTheSharedSecretInTheQueryIsRefusedAsUnauthorized() throws Exception {
    CloudbedsAdapter adapter = adapter(base);
    List<CellRange> batch = batches(adapter).get(0);
    Request valid = adapter.encode("B1", batch.get(0).property(), batch).get(0).request();
    Request noQuery =
        new Request(
            valid.method(),
            URI.create(base + "/ARIUpdate"),
            valid.headers(),
            valid.body(),
            valid.timeout());

    Outcome outcome = adapter.decode(send(noQuery));

    assertThat(outcome.status()).isEqualTo(401);
    assertThat(ClassificationTable.defaults().classify(outcome)).isEqualTo(Action.REFRESH_AUTH);
  }
}
