package io.daebug.broker;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the broker prints when it starts: where to open it, from this machine and (when it listens on every
 * address) from other machines, one URL per non-loopback interface address, since {@code 127.0.0.1} is
 * useless from elsewhere.
 */
final class Banner {
  private Banner() {}

  /**
   * @param uri the URL on this machine, with its token when there is one
   * @param host the {@code --host} the broker listens on
   * @param addresses this machine's interface addresses (see {@link #interfaceAddresses()})
   */
  static List<String> lines(Path root, URI uri, String host, String token, boolean requireToken,
      List<InetAddress> addresses) {
    List<String> lines = new ArrayList<>();
    lines.add("Daebug broker for " + root);
    lines.add("  Open " + uri + " in a browser; realms are listed in " + root.resolve("daebug.md"));
    List<String> remote = remoteUrls(uri, host, addresses);
    if (!remote.isEmpty()) {
      lines.add("  From other machines, open:");
      remote.forEach(u -> lines.add("    " + u));
    }
    if (token != null) {
      lines.add("  " + (requireToken ? "Controllers (on this machine too) and clients on other machines"
          : "Clients on other machines")
          + " must present the token " + token + " (the URLs above carry it).");
    }
    lines.add("  Stop with Ctrl+C or a line %%SHUTDOWN%% in daebug.md.");
    return lines;
  }

  /** The URL for each non-loopback address the broker listens on; none when it listens on loopback only. */
  static List<String> remoteUrls(URI uri, String host, List<InetAddress> addresses) {
    String h = host == null ? "" : host.trim();
    boolean any4 = h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]");
    boolean any6 = h.isEmpty() || h.equals("::") || h.equals("[::]");
    List<String> urls = new ArrayList<>();
    if (!any4) {
      return urls;
    }
    for (InetAddress a : addresses) {
      if (a.isLoopbackAddress() || a.isAnyLocalAddress()
          || (a instanceof Inet6Address && (!any6 || a.isLinkLocalAddress()))) {
        continue; // link-local IPv6 needs a zone id no browser takes in a URL
      }
      String literal = a instanceof Inet4Address ? a.getHostAddress() : "[" + a.getHostAddress().replaceFirst("%.*$", "") + "]";
      urls.add(uri.getScheme() + "://" + literal + ":" + uri.getPort() + uri.getRawPath()
          + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }
    return urls;
  }

  /** Every address of every interface that is up. */
  static List<InetAddress> interfaceAddresses() {
    List<InetAddress> all = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nif.isUp()) {
          all.addAll(Collections.list(nif.getInetAddresses()));
        }
      }
    } catch (SocketException e) {
      // no interfaces to list: the loopback URL is printed all the same
    }
    return all;
  }
}
