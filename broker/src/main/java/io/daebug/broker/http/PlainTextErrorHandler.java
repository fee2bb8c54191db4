package io.daebug.broker.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages as one line of plain text ({@code 400 Bad Request: Ambiguous URI path
 * separator}), never HTML and never a stack trace. Jetty itself answers some requests before any
 * handler runs (unparseable or ambiguous URIs such as {@code /../x} or {@code /a%2Fb}, oversized
 * headers), so install it with {@code server.setErrorHandler(new PlainTextErrorHandler())} to
 * keep every error body of the broker alike.
 */
public final class PlainTextErrorHandler extends ErrorHandler {

  public PlainTextErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message,
      Throwable cause, Callback callback) {
    byte[] body = line(code, cause == null ? message : null).getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static String line(int code, String detail) {
    String reason = HttpStatus.getMessage(code);
    return code + " " + reason
        + (detail == null || detail.isBlank() || detail.equals(reason) ? "" : ": " + oneLine(detail))
        + "\n";
  }

  private static String oneLine(String text) {
    String flat = text.replaceAll("[\\r\\n\\t]+", " ").strip();
    return flat.length() > 200 ? flat.substring(0, 200) : flat;
  }
}
