/**
 * Making a JVM a Daebug realm: {@link io.daebug.client.realm.JvmRealm} connects this JVM to a
 * broker, which then pushes Java snippets appended to the realm's markdown log; they are evaluated
 * in process with JShell. {@link io.daebug.client.realm.RealmOptions} says where the broker is.
 */
package io.daebug.client.realm;
