#!/usr/bin/env bash
# HTTP gateway benchmark (not a test). Needs: ./mvnw package (cli/target/cloned.jar), wrk (apt-get install -y wrk), gcc,
# node + npm ci in gateway/src/test/mcp-ts. Figures and method: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WS=$(mktemp -d)
PORT=${PORT:-7811}
DUR=${DUR:-15}
WARM=${WARM:-30} # seconds of load before the first measurement: C2 is still compiling the path for ~20 s
PARTS=${PARTS:-"saturation fixed mcp"} # which parts to run; the saturation part is also the others' warm-up
JAVA_OPTS=${JAVA_OPTS:-"-Xmx1g"} # the gateway's JVM options
AUDIT_SYNC=${AUDIT_SYNC:-forced} # audit.sync of the workspace: forced (the default) or written (docs/governance.md)
# guest halt polling of the VM's cpuidle-haltpoll driver, in ns, for this run only (needs root; restored on exit).
# This machine kind boots with haltpoll.guest_halt_poll_ns=0, so every idle vCPU halts and each wake-up is a VM exit;
# docs/performance.md shows what that costs the MCP front. Unset: the machine's setting is left alone.
HALT_POLL_NS=${HALT_POLL_NS:-}
# CPU pinning (taskset lists, e.g. 0 and 1): the gateway and its upstream on GATEWAY_CPUS, the Java load clients on
# CLIENT_CPUS, so the client does not take the gateway's cores in the middle of a call. Unset: not pinned.
GATEWAY_CPUS=${GATEWAY_CPUS:-}
CLIENT_CPUS=${CLIENT_CPUS:-}
CLIENT_JAVA_OPTS=${CLIENT_JAVA_OPTS:-} # the Java load clients' JVM options
# the fixed part's load clients: java (FixedRate.java, a pacer thread and a Vert.x loop) and c (fixed_rate.c, one
# thread on epoll and an absolute timerfd, built here with gcc): two harnesses, so a tail can be told from the client's
FIXED_CLIENTS=${FIXED_CLIENTS:-"java c"}
# seconds each fixed-rate client runs at 3,000/s, unmeasured, before its measurement: the gateway's JIT settles on the
# fixed rate's profile after the saturation part (docs/performance.md, fifteenth session)
export FIXED_RATE_WARM=${FIXED_RATE_WARM:-30}
HALT_POLL_PARAM=/sys/module/haltpoll/parameters/guest_halt_poll_ns
has() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
MCP_N=${MCP_N:-3000} # sequential calls per client and path in the mcp part
EVERYTHING=$ROOT/gateway/src/test/mcp-ts/node_modules/@modelcontextprotocol/server-everything/dist/index.js
(cd gateway/src/test/mcp-ts && npm ci --no-audit --no-fund >/dev/null)
java -jar cli/target/cloned.jar init -w "$WS" >/dev/null
printf 'audit:\n  sync: %s\n' "$AUDIT_SYNC" >> "$WS/.cloned/config.yaml"
echo "== audit.sync: $AUDIT_SYNC"
PID= HALT_POLL_WAS=
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WS"
  if [ -n "$HALT_POLL_WAS" ]; then echo "$HALT_POLL_WAS" > "$HALT_POLL_PARAM"; fi
}
trap cleanup EXIT
if [ -n "$HALT_POLL_NS" ]; then
  if [ ! -w "$HALT_POLL_PARAM" ]; then
    echo "HALT_POLL_NS is set but $HALT_POLL_PARAM is missing or not writable (needs root and the cpuidle-haltpoll driver); unset HALT_POLL_NS" >&2
    exit 2
  fi
  HALT_POLL_WAS=$(cat "$HALT_POLL_PARAM")
  echo "$HALT_POLL_NS" > "$HALT_POLL_PARAM"
  echo "== guest_halt_poll_ns: $HALT_POLL_NS for this run (was $HALT_POLL_WAS)"
fi
${GATEWAY_CPUS:+taskset -c $GATEWAY_CPUS} java $JAVA_OPTS -jar cli/target/cloned.jar serve -w "$WS" --port "$PORT" --bench-ungoverned-route \
  --upstream "upstream.everything=node $EVERYTHING stdio" --upstream-publisher cloned.official > "$WS/serve.out" 2>"$WS/serve.err" &
PID=$!
for _ in $(seq 1 120); do grep -q "bootstrap token" "$WS/serve.out" 2>/dev/null && break; sleep 0.5; done
export CLONED_TOKEN=$(sed -n 's/^bootstrap token.*: //p' "$WS/serve.out")
export CLONED_CSRF=$(curl -s -H "Authorization: Bearer $CLONED_TOKEN" "http://127.0.0.1:$PORT/v1/auth/session" \
  | sed 's/.*"csrf_token":"\([^"]*\)".*/\1/')
BODY='{"tool_id":"cloned.internal.echo@v1","input":{"n":1}}'
if has saturation; then
echo "== saturation, governed POST /v1/tool-calls"
wrk -t2 -c64 -d"${WARM}s" -s bench/http/post.lua "http://127.0.0.1:$PORT/v1/tool-calls" >/dev/null
wrk -t2 -c64 -d"${DUR}s" --latency -s bench/http/post.lua "http://127.0.0.1:$PORT/v1/tool-calls"
echo "== saturation, same gateway, policy off (POST /bench/echo-ungoverned)"
wrk -t2 -c64 -d5s -s bench/http/post.lua "http://127.0.0.1:$PORT/bench/echo-ungoverned" >/dev/null
wrk -t2 -c64 -d"${DUR}s" --latency -s bench/http/post.lua "http://127.0.0.1:$PORT/bench/echo-ungoverned"
else
wrk -t2 -c64 -d"${WARM}s" -s bench/http/post.lua "http://127.0.0.1:$PORT/v1/tool-calls" >/dev/null # warm-up
fi
fixed() { # CLIENT URL: one fixed-rate measurement with the Java (FixedRate.java) or the C (fixed_rate.c) client
  if [ "$1" = c ]; then
    ${CLIENT_CPUS:+taskset -c $CLIENT_CPUS} "$WS/fixed_rate" "$2" "$CLONED_TOKEN" "$CLONED_CSRF" 3000 "$DUR" "$BODY"
  else
    ${CLIENT_CPUS:+taskset -c $CLIENT_CPUS} java $CLIENT_JAVA_OPTS -cp "cli/target/cloned.jar:cli/target/lib/*" bench/http/FixedRate.java "$2" "$CLONED_TOKEN" "$CLONED_CSRF" 3000 "$DUR" "$BODY"
  fi
}
if has fixed; then
case " $FIXED_CLIENTS " in *" c "*) gcc -O2 -o "$WS/fixed_rate" bench/http/fixed_rate.c ;; esac
for client in $FIXED_CLIENTS; do
echo "== fixed 3,000 calls/s, governed ($client client)"
fixed "$client" "http://127.0.0.1:$PORT/v1/tool-calls"
echo "== fixed 3,000 calls/s, policy off ($client client)"
fixed "$client" "http://127.0.0.1:$PORT/bench/echo-ungoverned"
done
fi
if has mcp; then
echo "== MCP front added latency (echo of server-everything, direct stdio vs via /mcp)"
${CLIENT_CPUS:+taskset -c $CLIENT_CPUS} java $CLIENT_JAVA_OPTS -cp "cli/target/cloned.jar:cli/target/lib/*" bench/http/McpLatency.java "$EVERYTHING" "http://127.0.0.1:$PORT" "$CLONED_TOKEN" "$MCP_N" "$ROOT/bench/http/loopback.cjs"
fi
echo "== audit after the run"
kill $PID; wait $PID 2>/dev/null || true
java -jar cli/target/cloned.jar audit -w "$WS" verify | tail -2
