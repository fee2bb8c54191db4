package io.daebug.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.cert.Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up text and the restart command (issue 16, items 9 and 10). */
class BannerTest {
  private static final List<InetAddress> ADDRESSES = List.of(address("127.0.0.1"), address("192.168.7.20"),
      address("10.1.2.3"), address("::1"), address("fe80::1"), address("2001:db8::5"));

  @Test
  void aBrokerOnEveryAddressPrintsAUrlPerNonLoopbackAddressWithTheToken() {
    URI uri = URI.create("http://127.0.0.1:8123/?token=abc");
    List<String> lines = Banner.lines(Path.of("/srv/app"), uri, "0.0.0.0", "abc", false, ADDRESSES);
    assertThat(lines).containsExactly(
        "Daebug broker for /srv/app",
        "  Open http://127.0.0.1:8123/?token=abc in a browser; realms are listed in /srv/app/daebug.md",
        "  From other machines, open:",
        "    http://192.168.7.20:8123/?token=abc",
        "    http://10.1.2.3:8123/?token=abc",
        "  Clients on other machines must present the token abc (the URLs above carry it).",
        "  Stop with Ctrl+C or a line %%SHUTDOWN%% in daebug.md.");
  }

  @Test
  void anIpv6WildcardAlsoListsGlobalIpv6AddressesButNotLinkLocalOnes() {
    assertThat(Banner.remoteUrls(URI.create("https://127.0.0.1:9000/"), "::", ADDRESSES)).containsExactly(
        "https://192.168.7.20:9000/", "https://10.1.2.3:9000/", "https://[2001:db8:0:0:0:0:0:5]:9000/");
  }

  @Test
  void aLoopbackOrSingleAddressBrokerPrintsNoOtherUrl() {
    URI uri = URI.create("http://127.0.0.1:8123/");
    assertThat(Banner.remoteUrls(uri, "127.0.0.1", ADDRESSES)).isEmpty();
    assertThat(Banner.remoteUrls(uri, "192.168.7.20", ADDRESSES)).isEmpty();
    assertThat(Banner.lines(Path.of("/srv/app"), uri, "127.0.0.1", null, false, ADDRESSES))
        .noneMatch(l -> l.contains("other machines") || l.contains("token"));
  }

  @Test
  void theRestartCommandNamesTheJarByItsRealPath(@TempDir Path dir) throws Exception {
    Path jar = Files.createFile(dir.resolve("daebug.jar"));
    CodeSource fromJar = new CodeSource(jar.toUri().toURL(), (Certificate[]) null);
    assertThat(Broker.startCommand(fromJar, Path.of("/srv/app"))).isEqualTo("java -jar " + jar + " --root /srv/app");
    assertThat(Broker.startCommand(fromJar, Path.of("/srv/my app"))).endsWith(" --root '/srv/my app'");
    CodeSource fromClasses = new CodeSource(dir.resolve("classes").toUri().toURL(), (Certificate[]) null);
    assertThat(Broker.startCommand(fromClasses, Path.of("/srv/app"))).isEqualTo("java -jar daebug.jar --root /srv/app");
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
