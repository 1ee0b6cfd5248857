// An MCP client written with the official TypeScript SDK that follows notifications/tools/list_changed over
// Streamable HTTP or stdio, driven step by step by the Java tests.
// Usage: node watch-tools.mjs '<config JSON>'
//   config: {"url": "http://127.0.0.1:PORT/mcp", "token": "..."} or {"transport": "stdio", "command": "...", "args": [...]}
//           plus "timeout_ms": 60000, "steps": [{"present": "<tool name>"} | {"absent": "<tool name>"}, ...]
// Prints one JSON line per stage:
//   {"stage": "ready", "tools": [...], "list_changed": <capability advertised>}   after connect and a first tools/list
//   {"stage": "step", "index": i, "tools": [...], "notifications": n}            once, after a tools/list_changed
//                                                                                notification, a re-list satisfies step i
// Exits 1 with a message on stderr when no notification arrives before the deadline.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

const config = JSON.parse(process.argv[2]);
const deadline = Date.now() + (config.timeout_ms ?? 60000);
const client = new Client({ name: "ts-sdk-watch", version: "1.0.0" });
let notifications = 0;
let handled = 0;
let wake = () => {};
client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
  notifications++;
  wake();
});

function nextNotification() {
  if (notifications > handled) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no tools/list_changed notification before the deadline")),
      Math.max(0, deadline - Date.now()));
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

function holds(step, tools) {
  return step.present ? tools.includes(step.present) : !tools.includes(step.absent);
}

const stdio = config.transport === "stdio";
const transport = stdio
  ? new StdioClientTransport({ command: config.command, args: config.args ?? [], stderr: "inherit" })
  : new StreamableHTTPClientTransport(new URL(config.url),
    { requestInit: { headers: { Authorization: `Bearer ${config.token}` } } });
try {
  await client.connect(transport);
  const names = async () => (await client.listTools()).tools.map((t) => t.name);
  const listChanged = client.getServerCapabilities()?.tools?.listChanged === true;
  console.log(JSON.stringify({ stage: "ready", tools: await names(), list_changed: listChanged }));
  for (const [index, step] of (config.steps ?? []).entries()) {
    for (;;) {
      await nextNotification();
      handled = notifications;
      const tools = await names();
      if (holds(step, tools)) {
        console.log(JSON.stringify({ stage: "step", index, tools, notifications }));
        break;
      }
    }
  }
  if (!stdio) {
    await transport.terminateSession();
  }
  await client.close();
} catch (e) {
  process.stderr.write(`watch-tools: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
}
