// Open-loop load at a fixed rate, in C (not a test): the second harness for the fixed-rate part of run.sh.
// It sends POSTs at RATE/s for SECONDS over keep-alive loopback connections and prints p50/p90/p99/max, each
// latency measured from the request's scheduled send time (queueing counts: no coordinated omission).
//
// Why a second client: the Java one (FixedRate.java) has a pacer thread that hands each request to a Vert.x loop,
// a JIT and a GC of its own, all on the 2 vCPUs it measures. This one is a single thread on epoll: an absolute
// timerfd wakes it when the next request is due, it writes the request on an idle connection and reads the
// answers as they come. One thread, no hand-off, no allocation after start.
//
// Build: gcc -O2 -o fixed_rate bench/http/fixed_rate.c   (run.sh does it)
// Usage: fixed_rate URL TOKEN CSRF RATE SECONDS BODY [CONNS]     URL is http://HOST:PORT/PATH (IPv4)
// Env:   FIXED_RATE_DUMP=file  writes every latency (ns), one per line, in send order.
//        FIXED_RATE_WARM=seconds  unmeasured warm-up at RATE before the measurement (default 30; 0 for none).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define BUF 16384

typedef struct {
    int fd;
    int busy;      // a request is out on it
    long idx;      // that request's index
    size_t have;   // bytes of the answer read so far
    char buf[BUF];
} conn;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static char *request;
static size_t request_len;
static struct sockaddr_in addr;

static int open_conn(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr) < 0) die("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

// The length of a complete HTTP/1.1 answer at the start of buf, 0 if more is needed, -1 if it cannot be parsed.
// Sets *status. Answers carry Content-Length or are chunked.
static long answer_length(const char *buf, size_t have, int *status) {
    const char *end = memmem(buf, have, "\r\n\r\n", 4);
    if (end == NULL) return have >= BUF ? -1 : 0;
    size_t head = (size_t) (end - buf) + 4;
    if (have < 12 || strncmp(buf, "HTTP/1.1 ", 9) != 0) return -1;
    *status = atoi(buf + 9);
    for (const char *p = buf; p < end; ) {
        const char *eol = memmem(p, (size_t) (end - p) + 2, "\r\n", 2);
        if (strncasecmp(p, "content-length:", 15) == 0) {
            long len = atol(p + 15);
            return have >= head + (size_t) len ? (long) (head + (size_t) len) : 0;
        }
        if (strncasecmp(p, "transfer-encoding:", 18) == 0) {
            const char *last = memmem(end, have - (size_t) (end - buf), "\r\n0\r\n\r\n", 7);
            return last == NULL ? 0 : (long) (last - buf) + 7;
        }
        p = eol + 2;
    }
    return (long) head;
}

// Sends rate * seconds requests on schedule and fills lat (ns after each scheduled time). Returns the errors.
static long run(conn *cs, int nconn, long rate, long seconds, int64_t *lat, int *first_error) {
    long n = rate * seconds, next = 0, done = 0, errors = 0;
    int64_t interval = 1000000000LL / rate;
    int64_t start = now_ns() + 1000000;
    int ep = epoll_create1(0);
    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    if (ep < 0 || tfd < 0) die("epoll/timerfd");
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t) -1};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev) < 0) die("epoll_ctl");
    for (int i = 0; i < nconn; i++) {
        ev.data.u64 = (uint64_t) i;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev) < 0) die("epoll_ctl");
    }
    long queued = 0; // due, not yet sent (all connections busy): next - queued .. next - 1
    int idle = nconn;
    struct epoll_event events[64];
    while (done < n) {
        int64_t t = now_ns();
        while (next < n && start + next * interval <= t) { // everything due by now joins the queue
            next++;
            queued++;
        }
        for (int i = 0; i < nconn && queued > 0 && idle > 0; i++) {
            if (cs[i].busy) continue;
            long idx = next - queued;
            if (write(cs[i].fd, request, request_len) != (ssize_t) request_len) die("write");
            cs[i].busy = 1;
            cs[i].idx = idx;
            cs[i].have = 0;
            queued--;
            idle--;
        }
        if (next < n) {
            int64_t due = start + next * interval;
            struct itimerspec when = {.it_value = {.tv_sec = due / 1000000000LL, .tv_nsec = due % 1000000000LL}};
            timerfd_settime(tfd, TFD_TIMER_ABSTIME, &when, NULL);
        }
        int k = epoll_wait(ep, events, 64, -1);
        if (k < 0 && errno != EINTR) die("epoll_wait");
        for (int e = 0; e < k; e++) {
            if (events[e].data.u64 == (uint64_t) -1) {
                uint64_t fired;
                if (read(tfd, &fired, sizeof fired) < 0 && errno != EAGAIN) die("read timerfd");
                continue;
            }
            conn *c = &cs[events[e].data.u64];
            ssize_t r = read(c->fd, c->buf + c->have, BUF - c->have);
            if (r <= 0) {
                fprintf(stderr, "connection closed by the server (read %zd)\n", r);
                exit(1);
            }
            c->have += (size_t) r;
            int status = 0;
            long len = answer_length(c->buf, c->have, &status);
            if (len < 0) {
                fprintf(stderr, "cannot parse the answer: %.*s\n", (int) (c->have < 200 ? c->have : 200), c->buf);
                exit(1);
            }
            if (len == 0 || !c->busy) continue;
            lat[c->idx] = now_ns() - (start + c->idx * interval);
            if (status != 200 && errors++ == 0) *first_error = status;
            c->busy = 0;
            idle++;
            done++;
        }
    }
    close(tfd);
    close(ep);
    return errors;
}

static int cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: fixed_rate URL TOKEN CSRF RATE SECONDS BODY [CONNS]\n");
        return 2;
    }
    char host[64], path[512];
    int port;
    if (sscanf(argv[1], "http://%63[^:]:%d%511s", host, &port, path) != 3) {
        fprintf(stderr, "URL must be http://IPV4:PORT/PATH, got %s\n", argv[1]);
        return 2;
    }
    long rate = atol(argv[4]), seconds = atol(argv[5]);
    int nconn = argc > 7 ? atoi(argv[7]) : 64;
    const char *body = argv[6];
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t) port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "host must be an IPv4 address, got %s\n", host);
        return 2;
    }
    if (asprintf(&request, "POST %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\nX-CSRF-Token: %s\r\n"
                 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                 path, host, port, argv[2], argv[3], strlen(body), body) < 0) die("asprintf");
    request_len = strlen(request);
    conn *cs = calloc((size_t) nconn, sizeof(conn));
    for (int i = 0; i < nconn; i++) cs[i].fd = open_conn();

    int first_error = 0;
    // the same warm-up as FixedRate.java: at the measured rate, so the gateway's JIT has settled on this load's
    // profile (after run.sh's saturation part, the first 15 s at 3,000/s had a tail the next ones did not)
    const char *warm_env = getenv("FIXED_RATE_WARM");
    long warm = warm_env != NULL ? atol(warm_env) : 30;
    if (warm > 0) {
        int64_t *wlat = calloc((size_t) (rate * warm), sizeof(int64_t));
        run(cs, nconn, rate, warm, wlat, &first_error);
        free(wlat);
    }
    first_error = 0;
    long n = rate * seconds;
    int64_t *lat = calloc((size_t) n, sizeof(int64_t));
    int64_t t0 = now_ns();
    long errors = run(cs, nconn, rate, seconds, lat, &first_error);
    double secs = (double) (now_ns() - t0) / 1e9;
    if (errors > 0) fprintf(stderr, "first error: HTTP %d\n", first_error);
    const char *dump = getenv("FIXED_RATE_DUMP");
    if (dump != NULL) {
        FILE *f = fopen(dump, "w");
        if (f == NULL) die(dump);
        for (long i = 0; i < n; i++) fprintf(f, "%lld\n", (long long) lat[i]);
        fclose(f);
    }
    qsort(lat, (size_t) n, sizeof(int64_t), cmp);
    printf("rate=%ld/s n=%ld conns=%d errors=%ld achieved=%.0f/s p50=%.3f ms p90=%.3f ms p99=%.3f ms max=%.3f ms\n",
           rate, n, nconn, errors, (double) n / secs, lat[n / 2] / 1e6, lat[(long) (n * 0.90)] / 1e6,
           lat[(long) (n * 0.99)] / 1e6, lat[n - 1] / 1e6);
    return 0;
}
