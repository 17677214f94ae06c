package dev.paritysync.hotel.ota;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.paritysync.core.classify.FieldError;
import dev.paritysync.core.classify.Outcome;
import dev.paritysync.core.http.Headers;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the OpenTravel RS decoder with arbitrary bodies, as a 200 and as a 500. For every body it
 * never throws, answers the same twice, and in a 2xx either acknowledges (no error code, no field
 * errors, and the body says {@code Success}) or names an error code with at least one field error,
 * each with a message: a 200 that does not say {@code Success} is never acknowledged. Another
 * status keeps its status.
 */
class OtaResponseDecoderFuzzTest {
  private final OtaResponseDecoder decoder = new OtaResponseDecoder(OtaErrorCodes.defaults());

  @FuzzTest(maxDuration = "10s")
  void decode(byte[] body) {
    Outcome ok = decoder.decode(200, Headers.empty(), body);
    assertThat(decoder.decode(200, Headers.empty(), body)).as("the same twice").isEqualTo(ok);
    assertThat(ok.status()).isEqualTo(200);
    if (ok.errorCode() == null) {
      assertThat(ok.fieldErrors()).isEmpty();
      assertThat(
              new String(body, StandardCharsets.UTF_8).contains("Success")
                  || new String(body, StandardCharsets.UTF_16).contains("Success"))
          .as("acknowledged without Success: %s", ok)
          .isTrue();
    } else {
      assertThat(ok.errorCode()).isNotBlank();
      assertThat(ok.fieldErrors()).as("field errors of %s", ok).isNotEmpty();
      for (FieldError e : ok.fieldErrors()) {
        assertThat(e.message()).as("message of %s", e).isNotBlank();
      }
      if (ok.errorCode().equals(OtaResponseDecoder.UNREADABLE)) {
        assertThat(ok.fieldErrors())
            .singleElement()
            .satisfies(
                e ->
                    assertThat(e.message())
                        .startsWith("response is not an OpenTravel acknowledgement: "));
      }
    }
    Outcome failed = decoder.decode(500, Headers.empty(), body);
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.errorCode()).isNotEqualTo(OtaResponseDecoder.UNREADABLE);
  }
}
