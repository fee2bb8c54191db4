package io.daebug.broker.protocol;

import java.util.List;

/** Every realm in the registry (answer to {@link ListRealms}). @param realms the realms */
public record RealmList(List<RealmInfo> realms) implements ToController {}
