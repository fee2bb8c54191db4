package io.daebug.client.realm.internal;

import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where objects an application binds to a realm ({@code JvmRealm.bind}) wait for snippets. The realm
 * declares a JShell variable per binding whose initializer reads it from here; public only because that
 * generated source calls {@link #get}. Not an API.
 */
public final class Bindings {
  private static final Map<String, Map<String, Object>> REALMS = new ConcurrentHashMap<>();

  private Bindings() {}

  /**
   * The object bound under {@code name} in realm {@code key}, or null.
   *
   * @param key the realm's private key
   * @param name the binding's name
   * @return the object, or null when nothing is bound
   */
  public static Object get(String key, String name) {
    Map<String, Object> realm = REALMS.get(key);
    return realm == null ? null : realm.get(name);
  }

  static void put(String key, String name, Object value) {
    REALMS.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(name, value);
  }

  /** Every binding of a realm, e.g. to declare them again in a fresh JShell. */
  static Map<String, Object> all(String key) {
    Map<String, Object> realm = REALMS.get(key);
    return realm == null ? Map.of() : Map.copyOf(realm);
  }

  static void forget(String key) {
    REALMS.remove(key);
  }

  /**
   * The type a binding's variable is declared with: the most specific class of the value that a
   * snippet can name (public, with public enclosing classes, in an exported package, not hidden or
   * anonymous); when that is only {@code Object}, the first such interface it implements.
   */
  static String typeName(Object value) {
    if (value == null) {
      return "Object";
    }
    Class<?> component = value.getClass();
    while (component.isArray()) {
      component = component.getComponentType();
    }
    if (value.getClass().isArray()) {
      return component.isPrimitive() || nameable(component) ? value.getClass().getCanonicalName() : "Object";
    }
    for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      if (nameable(c)) {
        return c.getCanonicalName();
      }
    }
    for (Class<?> c = value.getClass(); c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (nameable(i)) {
          return i.getCanonicalName();
        }
      }
    }
    return "Object";
  }

  private static boolean nameable(Class<?> c) {
    if (c.isAnonymousClass() || c.isLocalClass() || c.isHidden() || c.isSynthetic() || c.isArray()
        || c.getCanonicalName() == null) {
      return false;
    }
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return c.getModule().isExported(c.getPackageName());
  }
}
