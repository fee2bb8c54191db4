package io.daebug.broker.journal;

/**
 * How far a log write must have gone before {@link RealmLog.Batch#commit(Durability)} returns (docs/concurrency.md,
 * "What is on disk when").
 */
public enum Durability {
  /**
   * The new version is in the file (renamed into place): every reader sees it, and a killed broker leaves it there,
   * since the page cache survives the process. Its data is not fsynced: a power loss may bring back the version
   * before it (on ext4 with its default {@code auto_da_alloc}, the old or the new one, never an empty file).
   */
  VISIBLE,
  /**
   * {@link #VISIBLE}, and the version survives a power loss too: its data was fsynced before the rename and the
   * folder after it. A durable write also makes every earlier visible one durable (each version holds them).
   */
  DURABLE,
  /**
   * {@link #VISIBLE} when the write returns, {@link #DURABLE} once the task {@link RealmLog#takeSync()} hands out has
   * run: the version's data and the folder are fsynced after the write's end is acted on (an agent or a controller
   * told), not before it. The temporary file is renamed unsynced, as for {@link #VISIBLE}.
   */
  DURABLE_AFTER
}
