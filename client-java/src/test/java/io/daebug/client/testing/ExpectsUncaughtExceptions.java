package io.daebug.client.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test that lets a thread die of an uncaught exception on purpose (the JVM realm reports such deaths
 * as events), so {@link ClientTestGuard} does not fail it for that.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ExpectsUncaughtExceptions {}
