package io.daebug.broker.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which {@code Host} and {@code Origin} headers the broker answers, so that a page on
 * another site (cross-site request) or a hostile DNS name re-pointed at 127.0.0.1 (DNS
 * rebinding) cannot drive the REPL.
 *
 * <p>A host name is allowed when it is a loopback name ({@code localhost}, {@code *.localhost},
 * {@code 127.x.x.x}, {@code ::1}), the bind host, one of the configured extra names, or, when the
 * broker binds a wildcard address, one of this machine's interface addresses or its host name
 * (looked up once, in the constructor). Comparison ignores case and a trailing dot. Plain Java,
 * immutable and thread-safe; it never does a DNS lookup after construction.
 */
public final class HostOriginPolicy {

  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-f:.]+(%[0-9a-z._-]+)?");
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");

  private final Set<String> allowed;
  private final Set<String> origins;

  /**
   * @param bindHost the address the broker listens on, e.g. {@code 127.0.0.1}, {@code 0.0.0.0},
   *     {@code ::1}, {@code localhost}
   * @param extraHosts further host names to accept (e.g. a LAN name), never null
   */
  public HostOriginPolicy(String bindHost, Collection<String> extraHosts) {
    this(bindHost, extraHosts, isWildcard(bindHost) ? machineNames() : Set.of(), List.of());
  }

  /**
   * A policy that also accepts pages of {@code extraOrigins} ({@code scheme://host[:port]}), e.g. a dev
   * server serving the app on another port.
   *
   * @throws IllegalArgumentException naming an entry that is not an origin
   */
  public static HostOriginPolicy withOrigins(String bindHost, Collection<String> extraHosts, List<String> extraOrigins) {
    return new HostOriginPolicy(bindHost, extraHosts, isWildcard(bindHost) ? machineNames() : Set.of(), extraOrigins);
  }

  /** For tests: {@code machineNames} stands for this machine's addresses and host name. */
  HostOriginPolicy(String bindHost, Collection<String> extraHosts, Collection<String> machineNames) {
    this(bindHost, extraHosts, machineNames, List.of());
  }

  private HostOriginPolicy(String bindHost, Collection<String> extraHosts, Collection<String> machineNames,
      List<String> extraOrigins) {
    Set<String> names = new HashSet<>();
    if (!isWildcard(bindHost)) {
      addName(names, bindHost);
    } else {
      machineNames.forEach(n -> addName(names, n));
    }
    extraHosts.forEach(n -> addName(names, n));
    this.allowed = Collections.unmodifiableSet(names);
    Set<String> o = new HashSet<>();
    for (String origin : extraOrigins) {
      String n = normalOrigin(origin);
      if (n == null) {
        throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin);
      }
      o.add(n);
    }
    this.origins = Collections.unmodifiableSet(o);
  }

  /** {@code scheme://host[:port]} lowercased, without a default port or a trailing slash; null when malformed. */
  static String normalOrigin(String origin) {
    try {
      URI u = new URI(origin.trim());
      if (u.getScheme() == null || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty()
          && !u.getPath().equals("/")) || u.getQuery() != null || u.getUserInfo() != null) {
        return null;
      }
      String scheme = u.getScheme().toLowerCase(Locale.ROOT);
      int port = u.getPort();
      boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
      return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /**
   * Whether a request carrying this {@code Host} header ({@code name}, {@code name:port},
   * {@code [v6]} or {@code [v6]:port}) may be answered. Missing or malformed means no.
   */
  public boolean hostAllowed(String hostHeader) {
    if (hostHeader == null) {
      return false;
    }
    String h = hostHeader.trim();
    String name;
    String port;
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      if (close < 0) {
        return false;
      }
      name = h.substring(1, close);
      String rest = h.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        return false;
      }
      port = rest.isEmpty() ? null : rest.substring(1);
    } else {
      int colon = h.indexOf(':');
      if (colon >= 0 && h.indexOf(':', colon + 1) >= 0) {
        return false; // a bare IPv6 literal is not a valid Host header
      }
      name = colon < 0 ? h : h.substring(0, colon);
      port = colon < 0 ? null : h.substring(colon + 1);
    }
    if (port != null && !PORT.matcher(port).matches()) {
      return false;
    }
    return nameAllowed(name);
  }

  /**
   * Whether a request carrying this {@code Origin} header may be answered. An absent header (a non-browser client)
   * is allowed; the opaque origin {@code null} is not. Otherwise the origin must be one of the extra origins
   * ({@code --allow-origin}), or one of the broker's own: its scheme the broker's, its host one that passes
   * {@link #hostAllowed}'s rule, and its port the broker's own port or that of the request's {@code Host} (the
   * page talks to the server it came from, e.g. through a forwarder). Another port of an allowed host is another
   * origin (any local dev server): browsers do not separate ports for cookies, so the port must be checked here.
   *
   * @param scheme {@code http} or {@code https}: what the broker serves
   * @param hostHeader the request's {@code Host}, already checked with {@link #hostAllowed}
   * @param ownPort the port the broker listens on
   */
  public boolean originAllowed(String origin, String scheme, String hostHeader, int ownPort) {
    if (origin == null) {
      return true;
    }
    String listed = normalOrigin(origin);
    if (listed == null) {
      return false;
    }
    if (origins.contains(listed)) {
      return true;
    }
    URI uri = URI.create(listed);
    if (!uri.getScheme().equals(scheme) || !nameAllowed(uri.getHost())) {
      return false;
    }
    int port = effectivePort(scheme, uri.getPort());
    return port == ownPort || port == effectivePort(scheme, hostPort(hostHeader));
  }

  private static int effectivePort(String scheme, int port) {
    return port != -1 ? port : scheme.equals("https") ? 443 : 80;
  }

  /** The port of a {@code Host} header: -1 when it names none, -2 (no port at all) when missing or malformed. */
  private static int hostPort(String hostHeader) {
    if (hostHeader == null) {
      return -2;
    }
    String h = hostHeader.trim();
    int colon = h.lastIndexOf(':');
    if (colon < 0 || h.lastIndexOf(']') > colon) {
      return -1;
    }
    String port = h.substring(colon + 1);
    return PORT.matcher(port).matches() ? Integer.parseInt(port) : -2;
  }

  private boolean nameAllowed(String rawName) {
    String name = normalize(rawName);
    if (name == null) {
      return false;
    }
    return isLoopbackName(name) || allowed.contains(name);
  }

  private static boolean isLoopbackName(String name) {
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      return true;
    }
    if (IPV4.matcher(name).matches()) {
      return name.startsWith("127.");
    }
    if (name.indexOf(':') >= 0) {
      return name.equals("0:0:0:0:0:0:0:1");
    }
    return false;
  }

  /**
   * Lower case, no brackets, no trailing dot; IPv6 literals in Java's full form without a
   * scope. Returns null for an empty or unparseable name.
   */
  static String normalize(String rawName) {
    if (rawName == null) {
      return null;
    }
    String n = rawName.trim().toLowerCase(Locale.ROOT);
    if (n.startsWith("[") && n.endsWith("]")) {
      n = n.substring(1, n.length() - 1);
    }
    while (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.isEmpty()) {
      return null;
    }
    if (n.indexOf(':') >= 0) {
      if (!IPV6_CHARS.matcher(n).matches()) {
        return null;
      }
      int scope = n.indexOf('%');
      String literal = scope < 0 ? n : n.substring(0, scope);
      try {
        // A literal containing ':' is parsed, never looked up in DNS.
        InetAddress address = InetAddress.getByName("[" + literal + "]");
        return address.isLoopbackAddress() && address instanceof Inet6Address
            ? "0:0:0:0:0:0:0:1"
            : stripScope(address.getHostAddress());
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return n;
  }

  private static String stripScope(String address) {
    int scope = address.indexOf('%');
    return (scope < 0 ? address : address.substring(0, scope)).toLowerCase(Locale.ROOT);
  }

  private static void addName(Set<String> names, String raw) {
    String n = normalize(raw);
    if (n != null) {
      names.add(n);
    }
  }

  static boolean isWildcard(String bindHost) {
    String n = bindHost == null ? "" : bindHost.trim();
    return n.isEmpty() || n.equals("0.0.0.0") || n.equals("::") || n.equals("[::]");
  }

  private static Set<String> machineNames() {
    Set<String> names = new HashSet<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nif.getInetAddresses())) {
          names.add(stripScope(a.getHostAddress()));
        }
      }
    } catch (SocketException | RuntimeException e) {
      // No interface list: only loopback names and extras are accepted.
    }
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException | RuntimeException e) {
      // No resolvable host name: only addresses are accepted.
    }
    return names;
  }
}
