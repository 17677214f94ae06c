package dev.paritysync.bench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeProcessTest {

  @Test
  void beforeStartItIsNotAliveAndRefusesWhatNeedsAProcessNamingIt(@TempDir Path dir) {
    ServeProcess serve =
        new ServeProcess(
            dir.resolve("paritysync.jar"),
            dir.resolve("paritysync.yaml"),
            dir,
            List.of(),
            Map.of());

    assertThat(serve.alive()).isFalse();
    assertThat(serve.starts()).isZero();
    assertThat(serve.rssMib()).isEqualTo(-1);
    assertThatThrownBy(serve::base)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ServeProcess.base()")
        .hasMessageContaining("paritysync.jar");
    assertThatThrownBy(serve::kill)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ServeProcess.kill()");
    assertThatThrownBy(serve::stop)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ServeProcess.stop()");
  }
}
