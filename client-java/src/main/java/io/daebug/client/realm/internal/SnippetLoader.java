package io.daebug.client.realm.internal;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/**
 * Loads the classes JShell compiles for snippets, in a class loader whose parent is the
 * application's (the loader of the daebug client), so snippets reach the application's classes even
 * when that is not the system class loader. Mirrors the JDK's package-private
 * {@code DefaultLoaderDelegate}, which always uses the system class loader.
 */
final class SnippetLoader implements LoaderDelegate {
  private final Loader loader;
  private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();

  SnippetLoader(ClassLoader parent) {
    this.loader = new Loader(parent);
  }

  @Override
  public void load(ClassBytecodes[] cbcs) throws ClassInstallException {
    boolean[] installed = new boolean[cbcs.length];
    try {
      for (ClassBytecodes cbc : cbcs) {
        loader.declare(cbc.name(), cbc.bytecodes());
      }
      for (int i = 0; i < cbcs.length; i++) {
        Class<?> klass = loader.loadClass(cbcs[i].name());
        classes.put(cbcs[i].name(), klass);
        installed[i] = true;
        klass.getDeclaredMethods(); // links the class now, so a bad one fails here, not in the snippet
      }
    } catch (Throwable e) {
      throw new ClassInstallException("load: " + e.getMessage(), installed);
    }
  }

  @Override
  public void classesRedefined(ClassBytecodes[] cbcs) {
    for (ClassBytecodes cbc : cbcs) {
      loader.declare(cbc.name(), cbc.bytecodes());
    }
  }

  @Override
  public void addToClasspath(String path) throws InternalException {
    try {
      for (String element : path.split(File.pathSeparator)) {
        loader.addURL(new File(element).toURI().toURL());
      }
    } catch (MalformedURLException e) {
      throw new InternalException("bad class path element in " + path + ": " + e.getMessage());
    }
  }

  @Override
  public Class<?> findClass(String name) throws ClassNotFoundException {
    Class<?> klass = classes.get(name);
    if (klass == null) {
      throw new ClassNotFoundException(name + " not found");
    }
    return klass;
  }

  /** Defines snippet classes from their bytes, and anything else through the parent or added URLs. */
  private static final class Loader extends URLClassLoader {
    static {
      registerAsParallelCapable();
    }

    private final Map<String, byte[]> bytes = new ConcurrentHashMap<>();

    Loader(ClassLoader parent) {
      super("daebug-jshell", new URL[0], parent);
    }

    void declare(String name, byte[] code) {
      bytes.put(name, code);
    }

    @Override
    protected void addURL(URL url) {
      super.addURL(url);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] code = bytes.get(name);
      if (code == null) {
        return super.findClass(name);
      }
      return defineClass(name, code, 0, code.length);
    }
  }
}
