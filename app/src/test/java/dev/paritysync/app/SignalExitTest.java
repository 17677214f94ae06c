package dev.paritysync.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A command's shutdown hook is registered while it runs and gone once it ends by itself: left
 * behind, it would halt the JVM at its later exit and cut short every other hook (a test JVM's
 * coverage dump was cut mid-write that way).
 */
class SignalExitTest {
  @Test
  void aClosedRegistrationLeavesNoHookBehind() {
    SignalExit.Registration registration = SignalExit.register(() -> {}, "signal-exit-test");
    Thread hook = registration.hook;
    assertThat(hook).isNotNull();
    assertThat(Runtime.getRuntime().removeShutdownHook(hook)).as("registered").isTrue();
    Runtime.getRuntime().addShutdownHook(hook);

    registration.close();

    assertThat(Runtime.getRuntime().removeShutdownHook(hook)).as("unregistered").isFalse();
    registration.close(); // twice: nothing to remove, no error
    SignalExit.Registration.NONE.close();
  }
}
