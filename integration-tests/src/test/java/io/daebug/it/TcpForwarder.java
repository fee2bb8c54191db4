package io.daebug.it;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The network between a realm and the broker, as a plain TCP forwarder on 127.0.0.1: {@link #cut()} closes every
 * connection it carries (both ends see the connection end, as when a link drops and the kernel notices), and
 * {@link #refuse(boolean)} makes it close new connections at once, so a realm cannot get back until told.
 *
 * <p>It also reads the WebSocket frames the realm sends (client frames are masked; it unmasks them) and keeps the
 * text ones, in order, after each was written on to the broker: {@link #fromRealm()} is what went over the wire,
 * exactly once per frame. One thread accepts, two per connection copy; all are daemons, ended by {@link #close()}.
 */
final class TcpForwarder implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<String> fromRealm = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean refusing;
  private volatile boolean closed;

  private TcpForwarder(ServerSocket server, int targetPort) {
    this.server = server;
    this.targetPort = targetPort;
    Thread acceptor = new Thread(this::acceptLoop, "forwarder-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Listens on a free port of 127.0.0.1 and forwards to {@code 127.0.0.1:targetPort}. */
  static TcpForwarder start(int targetPort) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return new TcpForwarder(server, targetPort);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Text frames the realm sent, in order, each once (across all connections). */
  List<String> fromRealm() {
    return List.copyOf(fromRealm);
  }

  /** Connections forwarded so far (refused ones not counted). */
  int connections() {
    return connections.get();
  }

  /** While true, new connections are closed as soon as they are accepted, before anything is forwarded. */
  void refuse(boolean refuse) {
    refusing = refuse;
  }

  /** Closes every connection being forwarded, on both sides. */
  void cut() {
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    cut();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket realm;
      try {
        realm = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (refusing) {
        closeQuietly(realm);
        continue;
      }
      Socket broker;
      try {
        broker = new Socket(InetAddress.getLoopbackAddress(), targetPort);
      } catch (IOException e) {
        closeQuietly(realm);
        continue;
      }
      int n = connections.incrementAndGet();
      open.add(realm);
      open.add(broker);
      FrameTap tap = new FrameTap();
      start("forwarder-" + n + "-up", () -> copy(realm, broker, tap));
      start("forwarder-" + n + "-down", () -> copy(broker, realm, null));
    }
  }

  private static void start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  /** Copies until either side ends, then closes both (a half-closed pair would leave the other side waiting). */
  private void copy(Socket from, Socket to, FrameTap tap) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
        if (tap != null) {
          tap.feed(buffer, n);
        }
      }
    } catch (IOException e) {
      // cut, or the peer went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /** Parses the realm's side of one connection: the HTTP upgrade request, then masked WebSocket frames. */
  private final class FrameTap {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Inflater inflater = new Inflater(true);
    private boolean upgraded;

    void feed(byte[] bytes, int length) {
      pending.write(bytes, 0, length);
      byte[] data = pending.toByteArray();
      int at = 0;
      if (!upgraded) {
        int end = indexOf(data, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (end < 0) {
          return;
        }
        upgraded = true;
        at = end + 4;
      }
      while (true) {
        int frameEnd = frame(data, at);
        if (frameEnd < 0) {
          break;
        }
        at = frameEnd;
      }
      pending.reset();
      pending.write(data, at, data.length - at);
    }

    /** Reads one frame at {@code at}; returns where it ends, or -1 when it is not complete yet. */
    private int frame(byte[] d, int at) {
      if (d.length - at < 2) {
        return -1;
      }
      int opcode = d[at] & 0x0f;
      boolean masked = (d[at + 1] & 0x80) != 0;
      long length = d[at + 1] & 0x7f;
      int header = 2;
      if (length == 126) {
        if (d.length - at < 4) {
          return -1;
        }
        length = ((d[at + 2] & 0xff) << 8) | (d[at + 3] & 0xff);
        header = 4;
      } else if (length == 127) {
        if (d.length - at < 10) {
          return -1;
        }
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | (d[at + 2 + i] & 0xff);
        }
        header = 10;
      }
      int maskAt = at + header;
      int payloadAt = maskAt + (masked ? 4 : 0);
      if (d.length - payloadAt < length) {
        return -1;
      }
      if (opcode == 1) {
        byte[] payload = new byte[(int) length];
        for (int i = 0; i < length; i++) {
          payload[i] = (byte) (d[payloadAt + i] ^ (masked ? d[maskAt + (i & 3)] : 0));
        }
        boolean compressed = (d[at] & 0x40) != 0; // RSV1: permessage-deflate, which Node's ws offers
        fromRealm.add(new String(compressed ? inflate(payload) : payload, StandardCharsets.UTF_8));
      }
      return payloadAt + (int) length;
    }

    /** RFC 7692: the message's deflate data plus 00 00 ff ff, with the window kept across messages. */
    private byte[] inflate(byte[] payload) {
      byte[] tail = {0, 0, (byte) 0xff, (byte) 0xff};
      inflater.setInput(concat(payload, tail));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      try {
        for (int n = inflater.inflate(chunk); n > 0; n = inflater.inflate(chunk)) {
          out.write(chunk, 0, n);
        }
      } catch (DataFormatException e) {
        return ("(undecodable compressed frame: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8);
      }
      return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
      byte[] out = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }

    private static int indexOf(byte[] data, byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= data.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (data[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
