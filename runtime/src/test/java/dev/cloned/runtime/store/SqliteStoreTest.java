package dev.cloned.runtime.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Runs the store contract against a real SQLite file. */
class SqliteStoreTest extends StoreContract {
    @TempDir
    Path dir;
    private SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir.resolve("state.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected Store reopen() {
        store.close();
        store = SqliteStore.open(dir.resolve("state.db"));
        return store;
    }

    @org.junit.jupiter.api.Test
    void should_use_wal_journal_mode() {
        org.assertj.core.api.Assertions.assertThat(store.pragma("PRAGMA journal_mode")).containsExactly("wal");
    }
}
