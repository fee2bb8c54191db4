/**
 * Implementation of the JVM realm. Not an API: public types here are public only because the API
 * package, or code JShell generates, must reach them.
 */
package io.daebug.client.realm.internal;
