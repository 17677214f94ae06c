package dev.paritysync.app.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that asserts timing in real time (an announced wait kept to a fraction of a second,
 * a liveness answer within a bound, a stream's first bytes): app's build runs it in a test JVM of
 * its own after the others, which run two JVMs at a time (app/pom.xml, {@code surefire}), so that
 * no other test's load moves its clock.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(RunsAlone.TAG)
public @interface RunsAlone {
  /** The JUnit tag app's pom.xml selects the serial run by. */
  String TAG = "runs-alone";
}
