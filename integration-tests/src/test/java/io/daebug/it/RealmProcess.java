package io.daebug.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A realm in a process of its own (a Node or a Python realm), started as users start it: its output (stdout and
 * stderr) is kept for assertion messages, {@link #kill()} ends it at once, {@link #close()} asks it to stop first.
 */
class RealmProcess implements AutoCloseable {
  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();

  RealmProcess(Process process, String name) {
    this.process = process;
    Thread reader = new Thread(this::drain, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  private void drain() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        output.add(line);
      }
    } catch (IOException e) {
      output.add("(output closed: " + e + ")");
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** What the process printed so far (stdout and stderr), for assertion messages. */
  String output() {
    return String.join("\n", output);
  }

  /** Kills it at once (SIGKILL): the broker learns of it only from the socket closing. */
  void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    awaitExit();
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private void awaitExit() {
    try {
      process.onExit().get(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
    }
  }
}
