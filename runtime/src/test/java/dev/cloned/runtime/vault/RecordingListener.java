package dev.cloned.runtime.vault;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers the warnings and secret values a vault reported. */
final class RecordingListener implements VaultListener {
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final Map<String, String> seen = new ConcurrentHashMap<>();

    @Override
    public void warning(String message) {
        warnings.add(message);
    }

    @Override
    public void secretUsed(String name, String value) {
        seen.put(name, value);
    }
}
