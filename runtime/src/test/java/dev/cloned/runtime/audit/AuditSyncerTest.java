package dev.cloned.runtime.audit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit's force stage: one force covers every batch written before it; a failed force fails the rest. */
class AuditSyncerTest {
    /** A file channel whose only working operation is {@code force}, counted; it can fail or block. */
    private static final class ForceOnly extends FileChannel {
        final AtomicInteger forces = new AtomicInteger();
        volatile boolean fail;
        volatile CountDownLatch blockFirst;
        final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public void force(boolean metaData) throws IOException {
            forces.incrementAndGet();
            entered.countDown();
            CountDownLatch b = blockFirst;
            if (b != null) {
                blockFirst = null;
                try {
                    b.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (fail) {
                throw new IOException("injected: EIO");
            }
        }

        private static UnsupportedOperationException no() {
            return new UnsupportedOperationException("not used by the syncer");
        }

        @Override public int read(ByteBuffer dst) { throw no(); }
        @Override public long read(ByteBuffer[] dsts, int offset, int length) { throw no(); }
        @Override public int write(ByteBuffer src) { throw no(); }
        @Override public long write(ByteBuffer[] srcs, int offset, int length) { throw no(); }
        @Override public long position() { throw no(); }
        @Override public FileChannel position(long newPosition) { throw no(); }
        @Override public long size() { throw no(); }
        @Override public FileChannel truncate(long size) { throw no(); }
        @Override public long transferTo(long position, long count, WritableByteChannel target) { throw no(); }
        @Override public long transferFrom(ReadableByteChannel src, long position, long count) { throw no(); }
        @Override public int read(ByteBuffer dst, long position) { throw no(); }
        @Override public int write(ByteBuffer src, long position) { throw no(); }
        @Override public MappedByteBuffer map(MapMode mode, long position, long size) { throw no(); }
        @Override public FileLock lock(long position, long size, boolean shared) { throw no(); }
        @Override public FileLock tryLock(long position, long size, boolean shared) { throw no(); }
        @Override protected void implCloseChannel() { }
    }

    private static AuditSyncer.Written batch(FileChannel ch, int epoch, String name, List<String> log) {
        return new AuditSyncer.Written(ch, epoch, () -> log.add(name + ":durable"), e -> log.add(name + ":failed"));
    }

    @Test
    void should_settle_in_write_order_and_cover_batches_written_during_a_force_with_one_force() throws Exception {
        ForceOnly ch = new ForceOnly();
        CountDownLatch release = new CountDownLatch(1);
        ch.blockFirst = release;
        List<String> log = new CopyOnWriteArrayList<>();
        try (AuditSyncer s = new AuditSyncer()) {
            s.submit(batch(ch, 1, "a", log));
            assertThat(ch.entered.await(10, TimeUnit.SECONDS)).isTrue(); // a's force is in progress
            s.submit(batch(ch, 1, "b", log));
            s.submit(new AuditSyncer.Written(null, 1, () -> log.add("marker"), null));
            s.submit(batch(ch, 1, "c", log));
            Thread.sleep(50);
            assertThat(log).as("nothing is settled before its force returns").isEmpty();
            release.countDown();
            s.await();
        }
        assertThat(log).containsExactly("a:durable", "b:durable", "marker", "c:durable");
        assertThat(ch.forces.get()).as("b and c were written while a was forced: one more force for both").isEqualTo(2);
    }

    @Test
    void should_fail_the_batches_of_a_failed_force_and_every_later_one_of_that_opening() throws Exception {
        ForceOnly first = new ForceOnly();
        ForceOnly reopened = new ForceOnly();
        List<String> log = new CopyOnWriteArrayList<>();
        try (AuditSyncer s = new AuditSyncer()) {
            first.fail = true;
            s.submit(batch(first, 1, "a", log));
            s.await();
            assertThat(s.failed(1)).isTrue();
            assertThat(s.failed(2)).isFalse();
            first.fail = false; // even if the disk recovers, what follows a lost write is not acknowledged
            s.submit(batch(first, 1, "b", log));
            s.submit(batch(reopened, 2, "c", log));
            s.await();
        }
        assertThat(log).containsExactly("a:failed", "b:failed", "c:durable");
        assertThat(first.forces.get()).as("no force is trusted after a failed one on the same opening").isEqualTo(1);
        assertThat(reopened.forces.get()).isEqualTo(1);
    }
}
