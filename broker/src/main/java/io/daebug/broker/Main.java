package io.daebug.broker;

public final class Main {
  public static void main(String[] args) {}
}
