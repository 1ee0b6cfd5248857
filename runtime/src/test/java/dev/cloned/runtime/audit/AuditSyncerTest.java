package dev.cloned.runtime.audit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit's force stage: one force covers every batch written before it; a failed force fails the rest. */
class AuditSyncerTest {
    /** A file's force, counted; it can fail, or block the first time until released. */
    private static final class Disk implements AuditSyncer.Force {
        final AtomicInteger forces = new AtomicInteger();
        volatile boolean fail;
        volatile CountDownLatch blockFirst;
        final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public void force() throws IOException {
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
    }

    private static AuditSyncer.Written batch(Disk ch, int epoch, String name, List<String> log) {
        return new AuditSyncer.Written(ch, epoch, () -> log.add(name + ":durable"), e -> log.add(name + ":failed"));
    }

    @Test
    void should_settle_in_write_order_and_cover_batches_written_during_a_force_with_one_force() throws Exception {
        Disk ch = new Disk();
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
    void should_start_forces_no_closer_than_the_interval_so_batches_written_meanwhile_share_one() throws Exception {
        Disk ch = new Disk();
        List<String> log = new CopyOnWriteArrayList<>();
        try (AuditSyncer s = new AuditSyncer(TimeUnit.MILLISECONDS.toNanos(500))) {
            s.submit(batch(ch, 1, "a", log));
            s.await();
            assertThat(log).containsExactly("a:durable");
            long after = System.nanoTime();
            s.submit(batch(ch, 1, "b", log));
            s.submit(batch(ch, 1, "c", log));
            s.submit(batch(ch, 1, "d", log));
            s.await();
            assertThat(System.nanoTime() - after).as("b waited for the interval")
                .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(250));
        }
        assertThat(log).containsExactly("a:durable", "b:durable", "c:durable", "d:durable");
        assertThat(ch.forces.get()).as("one force for a, one for b, c and d").isEqualTo(2);
    }

    @Test
    void should_fail_the_batches_of_a_failed_force_and_every_later_one_of_that_opening() throws Exception {
        Disk first = new Disk();
        Disk reopened = new Disk();
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
