package dev.paritysync.hotel.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelConfigTest {
  static final String CLIENT_SECRET = "s3cr3t-client-value";
  static final String API_KEY = "k3y-value-xyz";
  static final SecretResolver SECRETS =
      SecretResolver.fromMap(
          Map.of("env:BOOKING_SECRET", CLIENT_SECRET, "file:/run/secrets/expedia", API_KEY));

  static final String YAML =
      """
      channels:
        booking:
          adapter: booking
          baseUrl: https://supply.example.com/ari
          credentials:
            oauth2:
              tokenUrl: https://auth.example.com/token
              clientId: paritysync
              clientSecret: ${env:BOOKING_SECRET}
              scope: ari
          mapping:
            rooms:
              DBL: 1001
              SGL: "1002"
            ratePlans:
              BAR: RP-BAR
          limits:
            maxRangesPerRequest: 50
            maxBytesPerRequest: 65536
            perDayOnly: false
          resilience:
            retry: {maxAttempts: 5}
        expedia:
          adapter: expedia
          baseUrl: http://127.0.0.1:8081
          credentials:
            apiKey:
              header: X-Api-Key
              value: "${file:/run/secrets/expedia}"
          mapping:
            rooms: {DBL: D}
      """;

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String text) throws Exception {
    return new ObjectMapper(new YAMLFactory()).readValue(text, Map.class);
  }

  @Test
  void parsesChannelsFromYaml() throws Exception {
    Map<String, ChannelConfig> channels =
        ChannelConfig.parseAll(yaml(YAML).get("channels"), SECRETS);

    assertThat(channels).containsOnlyKeys("booking", "expedia");
    ChannelConfig booking = channels.get("booking");
    assertThat(booking.name()).isEqualTo("booking");
    assertThat(booking.adapter()).isEqualTo("booking");
    assertThat(booking.baseUrl()).isEqualTo(URI.create("https://supply.example.com/ari"));
    Credentials.OAuth2 oauth = (Credentials.OAuth2) booking.credentials();
    assertThat(oauth.tokenUrl()).isEqualTo(URI.create("https://auth.example.com/token"));
    assertThat(oauth.clientId()).isEqualTo("paritysync");
    assertThat(oauth.clientSecret().reveal()).isEqualTo(CLIENT_SECRET);
    assertThat(oauth.scope()).isEqualTo("ari");
    assertThat(booking.mapping().rooms())
        .containsExactlyInAnyOrderEntriesOf(Map.of("DBL", "1001", "SGL", "1002"));
    assertThat(booking.mapping().ratePlans()).isEqualTo(Map.of("BAR", "RP-BAR"));
    assertThat(booking.limits()).isEqualTo(new ChannelLimits(50, 65536, false));
    assertThat(booking.resilience().asMap()).isEqualTo(Map.of("retry", Map.of("maxAttempts", 5)));
    assertThat(booking.resilience().path()).isEqualTo("channels.booking.resilience");
    assertThat(booking.options().path()).isEqualTo("channels.booking.options");
    assertThat(booking.reservations().key("mode")).isEqualTo("channels.booking.reservations.mode");

    ChannelConfig expedia = channels.get("expedia");
    Credentials.ApiKey key = (Credentials.ApiKey) expedia.credentials();
    assertThat(key.header()).isEqualTo("X-Api-Key");
    assertThat(key.value().reveal()).isEqualTo(API_KEY);
    assertThat(expedia.limits()).isEqualTo(ChannelLimits.DEFAULTS);
    assertThat(expedia.mapping().ratePlans()).isEmpty();
    assertThat(expedia.resilience().asMap()).isEmpty();
    // each call is a fresh view: what one reader asked for does not hide an unknown key from the
    // next
    booking.resilience().has("retry");
    assertThatThrownBy(() -> booking.resilience().rejectUnknown())
        .hasMessageStartingWith("channels.booking.resilience.retry: unknown key");
  }

  @Test
  void secretsNeverAppearInToString() throws Exception {
    Map<String, ChannelConfig> channels =
        ChannelConfig.parseAll(yaml(YAML).get("channels"), SECRETS);
    String text = channels.toString();
    assertThat(text).doesNotContain(CLIENT_SECRET).doesNotContain(API_KEY).contains("[redacted]");
  }

  @Test
  void readsSecretsFromFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("key");
    Files.writeString(file, API_KEY + "\n");
    String text = YAML.replace("/run/secrets/expedia", file.toAbsolutePath().toString());
    Map<String, Object> channel =
        yaml(text).entrySet().stream()
            .map(e -> (Map<String, Object>) e.getValue())
            .findFirst()
            .map(m -> (Map<String, Object>) m.get("expedia"))
            .orElseThrow();
    ChannelConfig expedia = ChannelConfig.parse("expedia", channel, SecretResolver.system());
    assertThat(((Credentials.ApiKey) expedia.credentials()).value().reveal()).isEqualTo(API_KEY);
  }

  @Test
  void inlineSecretsAreRejectedWithoutQuotingThem() throws Exception {
    String text = YAML.replace("${env:BOOKING_SECRET}", CLIENT_SECRET);
    assertThatThrownBy(() -> ChannelConfig.parseAll(yaml(text).get("channels"), SECRETS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "channels.booking.credentials.oauth2.clientSecret: must be a reference ${env:NAME} or"
                + " ${file:/absolute/path}; inline secrets are not allowed")
        .message()
        .doesNotContain(CLIENT_SECRET);
  }

  @Test
  void unresolvableReferencesNameTheKeyAndTheReference() throws Exception {
    String text = YAML.replace("${env:BOOKING_SECRET}", "${env:NOPE}");
    assertThatThrownBy(() -> ChannelConfig.parseAll(yaml(text).get("channels"), SECRETS))
        .hasMessage(
            "channels.booking.credentials.oauth2.clientSecret: environment variable NOPE is not set");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          unknown top key      | 'adapter: booking'                 | 'adapter: booking\\n    colour: blue'                  | channels.booking.colour: unknown key; expected one of adapter, baseUrl, credentials, mapping, limits, resilience, options, webhook, reservations, priority
          missing adapter      | 'adapter: booking'                 | 'resilience: {}'                                     | channels.booking.adapter: is required
          ftp url              | 'baseUrl: https://supply.example.com/ari' | 'baseUrl: ftp://supply.example.com'         | channels.booking.baseUrl: ftp://supply.example.com is not an http(s) URL
          relative url         | 'baseUrl: https://supply.example.com/ari' | 'baseUrl: /ari'                             | channels.booking.baseUrl: /ari is not an http(s) URL
          user info in url     | 'baseUrl: https://supply.example.com/ari' | 'baseUrl: https://u:pw@supply.example.com'  | channels.booking.baseUrl: must not carry user info; put credentials under credentials
          url not a string     | 'baseUrl: https://supply.example.com/ari' | 'baseUrl: [a, b]'                           | channels.booking.baseUrl: expected a string, got a list
          bad token url        | 'tokenUrl: https://auth.example.com/token' | 'tokenUrl: auth.example.com'              | channels.booking.credentials.oauth2.tokenUrl: auth.example.com is not an http(s) URL
          unknown oauth2 key   | 'scope: ari'                        | 'audience: ari'                                     | channels.booking.credentials.oauth2.audience: unknown key; expected one of tokenUrl, clientId, clientSecret, scope
          missing client id    | 'clientId: paritysync'              | 'scope: x'                                          | channels.booking.credentials.oauth2.clientId: is required
          two credentials      | '      oauth2:'                       | '      apiKey: {header: X-Key, value: \"${env:BOOKING_SECRET}\"}\\n      oauth2:' | channels.booking.credentials: expected exactly one of oauth2, apiKey
          bad header           | 'header: X-Api-Key'                 | 'header: X Api Key'                                 | channels.expedia.credentials.apiKey.header: X Api Key is not a valid HTTP header name
          mapping value a map  | 'DBL: 1001'                         | 'DBL: {id: 1001}'                                   | channels.booking.mapping.rooms.DBL: expected a code (string or integer), got a map
          mapping value blank  | 'DBL: 1001'                         | 'DBL: \" \"'                                          | channels.booking.mapping.rooms.DBL: must not be blank
          duplicate code       | 'SGL: \"1002\"'                       | 'SGL: \"1001\"'                                       | channels.booking.mapping.rooms.SGL: channel code 1001 is already mapped from DBL
          rooms missing        | '      rooms:\\n        DBL: 1001\\n        SGL: \"1002\"' | '      other: {}'              | channels.booking.mapping.other: unknown key; expected one of rooms, ratePlans
          ranges zero          | 'maxRangesPerRequest: 50'           | 'maxRangesPerRequest: 0'                            | channels.booking.limits.maxRangesPerRequest: 0 is below 1
          ranges string        | 'maxRangesPerRequest: 50'           | 'maxRangesPerRequest: ten'                          | channels.booking.limits.maxRangesPerRequest: expected an integer, got a string
          ranges too large     | 'maxRangesPerRequest: 50'           | 'maxRangesPerRequest: 3000000000'                   | channels.booking.limits.maxRangesPerRequest: 3000000000 is too large; at most 2147483647
          bytes decimal        | 'maxBytesPerRequest: 65536'         | 'maxBytesPerRequest: 1.5'                           | channels.booking.limits.maxBytesPerRequest: '1.5' is not a size in bytes (examples: 65536, 64KiB, 10MB, 1GiB)
          bytes zero           | 'maxBytesPerRequest: 65536'         | 'maxBytesPerRequest: 0KB'                           | channels.booking.limits.maxBytesPerRequest: must be at least 1 byte, was 0KB
          bytes no size        | 'maxBytesPerRequest: 65536'         | 'maxBytesPerRequest: lots'                          | channels.booking.limits.maxBytesPerRequest: 'lots' is not a size in bytes (examples: 65536, 64KiB, 10MB, 1GiB)
          per day not bool     | 'perDayOnly: false'                 | 'perDayOnly: sometimes'                             | channels.booking.limits.perDayOnly: expected true or false, got a string
          unknown limit        | 'perDayOnly: false'                 | 'perDay: false'                                     | channels.booking.limits.perDay: unknown key; expected one of maxRangesPerRequest, maxBytesPerRequest, perDayOnly
          resilience a list    | '      retry: {maxAttempts: 5}'     | '      - retry'                                     | channels.booking.resilience: expected a map, got a list
          """)
  void badConfigurationNamesTheKey(String name, String from, String to, String message)
      throws Exception {
    String text = YAML.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
    assertThat(text).as("the test's replacement applies").isNotEqualTo(YAML);
    assertThatThrownBy(() -> ChannelConfig.parseAll(yaml(text).get("channels"), SECRETS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void maxBytesPerRequestIsASize() throws Exception {
    for (String size : List.of("1000000", "1MB", "1000KB")) {
      String text = YAML.replace("maxBytesPerRequest: 65536", "maxBytesPerRequest: " + size);
      assertThat(
              ChannelConfig.parseAll(yaml(text).get("channels"), SECRETS)
                  .get("booking")
                  .limits()
                  .maxBytesPerRequest())
          .as(size)
          .isEqualTo(1_000_000);
    }
    String kib = YAML.replace("maxBytesPerRequest: 65536", "maxBytesPerRequest: 64KiB");
    assertThat(ChannelConfig.parseAll(yaml(kib).get("channels"), SECRETS).get("booking").limits())
        .isEqualTo(new ChannelLimits(50, 65536, false));
  }

  @Test
  void aChannelMustBeAMap() {
    assertThatThrownBy(() -> ChannelConfig.parse("booking", "nope", SECRETS))
        .hasMessage("channels.booking: expected a map, got a string");
  }
}
