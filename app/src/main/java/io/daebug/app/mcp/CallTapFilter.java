package io.daebug.app.mcp;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The Streamable HTTP side of {@link InFlightCalls}: reads each POSTed JSON-RPC message of a session
 * ({@code Mcp-Session-Id}), hands the tapped text on to the SDK's servlet, and answers a cancellation
 * itself with 202 as the transport would. A body over {@code maxBody} bytes gets 413, as the SDK gives it.
 */
final class CallTapFilter extends HttpFilter {
  private final transient InFlightCalls calls;
  private final int maxBody;

  CallTapFilter(InFlightCalls calls, int maxBody) {
    this.calls = calls;
    this.maxBody = maxBody;
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String session = request.getHeader("Mcp-Session-Id");
    if (!"POST".equals(request.getMethod()) || session == null || session.isBlank()) {
      chain.doFilter(request, response); // initialize (no session yet) has nothing to tap
      return;
    }
    if (request.getContentLengthLong() > maxBody) {
      response.sendError(413);
      return;
    }
    byte[] body = request.getInputStream().readNBytes(maxBody + 1);
    if (body.length > maxBody) {
      response.sendError(413);
      return;
    }
    String tapped = calls.inbound(session, new String(body, charset(request.getCharacterEncoding())));
    if (tapped == null) {
      response.setStatus(202);
      return;
    }
    chain.doFilter(new Body(request, tapped.getBytes(StandardCharsets.UTF_8)), response);
  }

  private static Charset charset(String name) {
    try {
      return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return StandardCharsets.UTF_8;
    }
  }

  /** The request with its body read and replaced (UTF-8). */
  private static final class Body extends HttpServletRequestWrapper {
    private final byte[] bytes;

    Body(HttpServletRequest request, byte[] bytes) {
      super(request);
      this.bytes = bytes;
    }

    @Override
    public String getCharacterEncoding() {
      return StandardCharsets.UTF_8.name();
    }

    @Override
    public int getContentLength() {
      return bytes.length;
    }

    @Override
    public long getContentLengthLong() {
      return bytes.length;
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(bytes);
      return new ServletInputStream() {
        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body was already read");
        }
      };
    }
  }
}
