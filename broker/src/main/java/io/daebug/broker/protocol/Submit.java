package io.daebug.broker.protocol;

/**
 * Asks the broker to run code in a realm and journal it like an agent's request.
 *
 * @param ref the controller's id for this submission, unique per connection (required, at most 64 chars)
 * @param realm the realm's name (required)
 * @param code the source (required)
 * @param language must match the realm's language when present; nullable
 * @param timeoutMs the job's timeout; null means the broker's default
 */
public record Submit(String ref, String realm, String code, String language, Long timeoutMs)
    implements FromController {
  public Submit {
    if (ref == null || ref.isEmpty() || ref.length() > 64) {
      throw new IllegalArgumentException("submit needs a ref of 1 to 64 characters");
    }
    if (realm == null || realm.isEmpty()) {
      throw new IllegalArgumentException("submit needs a realm");
    }
    if (code == null) {
      throw new IllegalArgumentException("submit needs code");
    }
    if (timeoutMs != null && timeoutMs <= 0) {
      throw new IllegalArgumentException("timeoutMs must be positive");
    }
  }
}
