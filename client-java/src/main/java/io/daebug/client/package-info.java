/**
 * Java client for the Daebug broker's controller protocol: run code in live realms (browser tabs,
 * workers, Node processes, JVMs) from a script, a test or an editor, without editing markdown.
 *
 * <pre>{@code
 * try (DaebugClient client = Daebug.connect(URI.create("http://127.0.0.1:8680/"))) {
 *   RealmInfo tab = client.awaitRealm("7-zen-1201-03", Duration.ofSeconds(10));
 *   JobResult r = client.run(JobRequest.of(tab.name(), "document.title"), Duration.ofSeconds(5));
 *   System.out.println(r.display());
 * }
 * }</pre>
 *
 * <p>Everything a client does is journalled by the broker exactly like a request an agent wrote into
 * the realm's log ({@code daebug/<realm>.md}), under the client's name ({@link ClientOptions#clientName()}).
 *
 * <p>Threading: the client is thread-safe. It owns one thread, {@code daebug-client-<name>}, on which every
 * listener callback runs and every future returned by {@link DaebugClient#submit} is completed, one at a
 * time and in the order the broker sent them. Do not block on that thread (see {@link DaebugClient}).
 *
 * <p>Nullness: parameters and return values are never null unless their Javadoc says "nullable".
 * Exceptions are unchecked and all extend {@link DaebugException}. The wire protocol is
 * {@code docs/protocol.md}, section "Controller protocol".
 */
package io.daebug.client;
