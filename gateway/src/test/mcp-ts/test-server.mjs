// A stdio MCP server built on the official TypeScript SDK's low-level Server, with tools that make it behave the way
// real servers sometimes do, for the Java tests of the gateway's upstream client (StdioMcpClient, UpstreamMcpTools).
// Usage: node test-server.mjs [mode] [page size]
//   mode "normal" (default); "exit-at-start" exits with code 3 before the handshake; "silent" never answers;
//   "old-version" answers initialize with a protocol version no client speaks (raw JSON-RPC, no SDK).
//   page size: tools/list returns this many tools per page, with nextCursor (default: all on one page).
// Tools: echo {message}; sleep {ms} (writes "cancelled <id>" to stderr when the client cancels it); exit {code};
// ping_client; ask_roots (sends roots/list to the client, returns the error text); add_tool {name} (then sends
// notifications/tools/list_changed); big {bytes}; junk (writes a non-JSON line to stdout first); log (sends a
// notifications/message); fail (isError result); pid; stall {ms} (stops reading stdin for ms, so the pipe fills).
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema, ListRootsResultSchema } from "@modelcontextprotocol/sdk/types.js";
import readline from "node:readline";

const mode = process.argv[2] ?? "normal";
const pageSize = Number(process.argv[3] ?? 0);

if (mode === "exit-at-start") {
  console.error("exit-at-start: giving up before the handshake");
  process.exit(3);
}
if (mode === "silent") {
  setInterval(() => {}, 1000);
} else if (mode === "old-version") {
  readline.createInterface({ input: process.stdin }).on("line", (line) => {
    const m = JSON.parse(line);
    if (m.method === "initialize") {
      process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: m.id, result: {
        protocolVersion: "1999-01-01", capabilities: {}, serverInfo: { name: "old", version: "0" } } }) + "\n");
    }
  });
} else {
  const schema = (props) => ({ type: "object", properties: props });
  const tools = [
    { name: "echo", description: "Echoes the message", inputSchema: schema({ message: { type: "string" } }) },
    { name: "sleep", description: "Waits ms milliseconds", inputSchema: schema({ ms: { type: "number" } }) },
    { name: "exit", description: "Exits the process mid-call", inputSchema: schema({ code: { type: "number" } }) },
    { name: "ping_client", description: "Pings the client", inputSchema: schema({}) },
    { name: "ask_roots", description: "Asks the client for roots", inputSchema: schema({}) },
    { name: "add_tool", description: "Adds a tool", inputSchema: schema({ name: { type: "string" } }) },
    { name: "big", description: "Returns bytes characters", inputSchema: schema({ bytes: { type: "number" } }) },
    { name: "junk", description: "Writes a non-JSON line first", inputSchema: schema({}) },
    { name: "log", description: "Sends a log message", inputSchema: schema({}) },
    { name: "fail", description: "Fails", inputSchema: schema({}) },
    { name: "pid", description: "The process id", inputSchema: schema({}) },
    { name: "stall", description: "Stops reading stdin for ms milliseconds", inputSchema: schema({ ms: { type: "number" } }) },
  ];
  const server = new Server({ name: "cloned-test-server", version: "1.0.0" },
    { capabilities: { tools: { listChanged: true }, logging: {} } });
  const text = (t) => ({ content: [{ type: "text", text: String(t) }] });

  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    if (!pageSize) {
      return { tools };
    }
    const start = Number(request.params?.cursor ?? 0);
    const page = tools.slice(start, start + pageSize);
    return start + pageSize < tools.length ? { tools: page, nextCursor: String(start + pageSize) } : { tools: page };
  });

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const args = request.params.arguments ?? {};
    switch (request.params.name) {
      case "echo":
        return { ...text("echo: " + args.message), structuredContent: { echoed: args.message } };
      case "sleep":
        return await new Promise((resolve) => {
          const timer = setTimeout(() => resolve(text("slept " + args.ms)), args.ms);
          extra.signal.addEventListener("abort", () => {
            clearTimeout(timer);
            console.error("cancelled " + extra.requestId);
            resolve(text("cancelled"));
          });
        });
      case "exit":
        console.error("exiting with code " + (args.code ?? 0));
        process.exit(args.code ?? 0);
      case "ping_client":
        await server.ping();
        return text("the client answered ping");
      case "ask_roots":
        try {
          await server.listRoots();
          return text("the client listed roots");
        } catch (e) {
          return text("roots/list failed: " + e.message);
        }
      case "add_tool":
        tools.push({ name: args.name, description: "Added at run time", inputSchema: schema({}) });
        await server.sendToolListChanged();
        return text("added " + args.name);
      case "big":
        return text("x".repeat(args.bytes));
      case "junk":
        process.stdout.write("this line is not JSON\n");
        return text("after junk");
      case "log":
        await server.sendLoggingMessage({ level: "warning", data: "a log message from the server" });
        return text("logged");
      case "fail":
        return { ...text("it broke"), isError: true };
      case "pid":
        return text(process.pid);
      case "stall":
        process.stdin.pause();
        setTimeout(() => process.stdin.resume(), args.ms);
        return text("stalled " + args.ms);
      default:
        if (tools.some((t) => t.name === request.params.name)) {
          return text("called " + request.params.name);
        }
        throw new Error("no tool " + request.params.name);
    }
  });

  await server.connect(new StdioServerTransport());
}
