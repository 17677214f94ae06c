package dev.paritysync.bench.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * N {@code paritysync serve} processes of one jar on a fresh schema of a PostgreSQL server, each on
 * a free port of 127.0.0.1. {@link #close()} stops them (SIGTERM, then SIGKILL after 20 s) and
 * drops the schema. Not thread-safe.
 */
final class Workers implements AutoCloseable {
  private final String serverUrl;
  private final String schema;
  private final List<Process> processes = new ArrayList<>();
  private final List<URI> uris = new ArrayList<>();

  private Workers(String serverUrl, String schema) {
    this.serverUrl = serverUrl;
    this.schema = schema;
  }

  /**
   * Creates a schema, writes {@code config} with its {@code database.url} into {@code dir}, starts
   * {@code n} workers on it at once and waits (up to 90 s) until each prints its address.
   */
  static Workers start(Path jar, String serverUrl, Path dir, int n, String config)
      throws IOException, InterruptedException {
    String schema =
        "scale_" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
    execute(serverUrl, "CREATE SCHEMA " + schema);
    Workers w = new Workers(serverUrl, schema);
    try {
      String url = serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
      Path file = dir.resolve(schema + ".yaml");
      Files.writeString(file, "database: {url: \"" + url + "\"}\n" + config);
      List<CompletableFuture<URI>> serving = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        serving.add(w.startOne(jar, file, dir.resolve(schema + "-" + i + ".log")));
      }
      for (int i = 0; i < n; i++) {
        try {
          w.uris.add(serving.get(i).get(90, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          throw new IllegalStateException(
              "worker "
                  + i
                  + " did not serve within 90 s; see "
                  + dir.resolve(schema + "-" + i + ".log"),
              e);
        }
      }
      return w;
    } catch (IOException | InterruptedException | RuntimeException e) {
      w.close();
      throw e;
    }
  }

  private CompletableFuture<URI> startOne(Path jar, Path config, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx384m"));
    // -Dcluster.workerJavaOpts="…": more options for every worker's JVM (a profiler, a flight
    // recording), separated by spaces.
    for (String opt : System.getProperty("cluster.workerJavaOpts", "").split(" ")) {
      if (!opt.isBlank()) {
        command.add(opt);
      }
    }
    command.addAll(
        List.of("-jar", jar.toString(), "serve", "--config", config.toString(), "--port", "0"));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SCALE_KEY", "k");
    pb.redirectError(log.toFile());
    Process p = pb.start();
    processes.add(p);
    CompletableFuture<URI> serving = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("serving ") && !serving.isDone()) {
                    int end = line.indexOf(' ', "serving ".length());
                    serving.complete(
                        URI.create(
                            line.substring("serving ".length(), end < 0 ? line.length() : end)));
                  }
                }
              } catch (IOException e) {
                // the worker stopped
              }
              serving.completeExceptionally(new IllegalStateException("exited before serving"));
            },
            "worker-stdout");
    reader.setDaemon(true);
    reader.start();
    return serving;
  }

  /** The workers' addresses, in start order. */
  List<URI> uris() {
    return List.copyOf(uris);
  }

  @Override
  public void close() throws InterruptedException {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (Boolean.getBoolean("cluster.keep")) {
      System.out.println("  (schema " + schema + " kept)");
    } else {
      execute(serverUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + url + ": " + e, e);
    }
  }
}
