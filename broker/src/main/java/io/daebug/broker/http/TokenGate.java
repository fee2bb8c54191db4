package io.daebug.broker.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * The broker's token: when set, every HTTP request and WebSocket upgrade that does not come from
 * loopback must present it, as the query parameter {@value #PARAM} (the URL the broker prints) or the
 * cookie {@value #COOKIE} (set on the first page load that had the parameter, so a page's own requests
 * and its realm socket carry it without the page knowing it), or an {@code Authorization: Bearer} header
 * (programs). Compared in constant time.
 */
public final class TokenGate {
  /** Query parameter holding the token. */
  public static final String PARAM = "token";
  /** Cookie holding the token after a page was opened with it. */
  public static final String COOKIE = "daebug-token";

  private static final String BEARER = "Bearer ";

  /** What a request showed. */
  public enum Verdict { OPEN, PARAM_OK, COOKIE_OK, DENIED }

  private final byte[] token;
  private final boolean loopbackExempt;
  private final boolean cookieAccepted;

  /** @param token the token, or null for none; clients on loopback never need it */
  public TokenGate(String token) {
    this(token, true, true);
  }

  /**
   * @param loopbackExempt whether clients on loopback may skip the token (false for controllers of a broker
   *     started with {@code --require-token}, and in tests)
   * @param cookieAccepted whether the {@value #COOKIE} cookie counts: true for pages and their realm sockets,
   *     false for controllers. A browser attaches the cookie to every request to the broker's host, whichever
   *     page (of whatever port) makes it, so a controller must prove it knows the token
   */
  public TokenGate(String token, boolean loopbackExempt, boolean cookieAccepted) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.loopbackExempt = loopbackExempt;
    this.cookieAccepted = cookieAccepted;
  }

  /** A gate for programs: the token as {@code ?token=} or {@code Authorization: Bearer} only, never the cookie. */
  public static TokenGate forPrograms(String token, boolean loopbackExempt) {
    return new TokenGate(token, loopbackExempt, false);
  }

  /** A new random token: 128 bits, URL-safe. */
  public static String generate() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Decides whether a request may proceed. */
  public Verdict check(Request request) {
    if (token == null || (loopbackExempt && isLoopback(Request.getRemoteAddr(request)))) {
      return Verdict.OPEN;
    }
    Fields query = Request.extractQueryParameters(request);
    if (matches(query.getValue(PARAM))) {
      return Verdict.PARAM_OK;
    }
    String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
        && matches(authorization.substring(BEARER.length()).trim())) {
      return Verdict.PARAM_OK;
    }
    if (!cookieAccepted) {
      return Verdict.DENIED;
    }
    List<HttpCookie> cookies = Request.getCookies(request);
    for (HttpCookie c : cookies) {
      if (COOKIE.equals(c.getName()) && matches(c.getValue())) {
        return Verdict.COOKIE_OK;
      }
    }
    return Verdict.DENIED;
  }

  /** The {@code Set-Cookie} value that lets a page opened with the token keep using it. */
  public String cookie() {
    return COOKIE + "=" + new String(token, StandardCharsets.UTF_8) + "; Path=/; HttpOnly; SameSite=Strict";
  }

  private boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isLoopback(String address) {
    try {
      return address != null && !address.isEmpty() && InetAddress.getByName(stripBrackets(address)).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String stripBrackets(String a) {
    return a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
  }
}
