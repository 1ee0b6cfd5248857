// An MCP client written with the official TypeScript SDK, driven by the Java tests.
// Usage: node client.mjs '<config JSON>'
//   config: {"transport": "stdio", "command": "...", "args": [...], "env": {...}}
//        or {"transport": "http", "url": "http://127.0.0.1:PORT/mcp", "token": "..."}
//   plus   "calls": [{"name": "...", "arguments": {...}}]
// Prints one JSON document: {"server": {...}, "tools": [names], "results": [CallToolResult | {"error": ...}]}.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const config = JSON.parse(process.argv[2]);

function transportFor(cfg) {
  if (cfg.transport === "stdio") {
    return new StdioClientTransport({ command: cfg.command, args: cfg.args ?? [], env: { ...process.env, ...(cfg.env ?? {}) }, stderr: "inherit" });
  }
  const headers = cfg.token ? { Authorization: `Bearer ${cfg.token}` } : {};
  return new StreamableHTTPClientTransport(new URL(cfg.url), { requestInit: { headers } });
}

const client = new Client({ name: "ts-sdk-interop", version: "1.0.0" });
const transport = transportFor(config);
await client.connect(transport);
const listed = await client.listTools();
const results = [];
for (const call of config.calls ?? []) {
  try {
    results.push(await client.callTool({ name: call.name, arguments: call.arguments ?? {} }));
  } catch (e) {
    results.push({ error: String(e && e.message ? e.message : e), code: e && e.code });
  }
}
const out = { server: client.getServerVersion(), tools: listed.tools.map((t) => t.name), results };
if (config.transport === "http" && transport.sessionId) {
  await transport.terminateSession();
}
await client.close();
process.stdout.write(JSON.stringify(out) + "\n");
