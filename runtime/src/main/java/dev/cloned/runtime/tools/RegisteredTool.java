package dev.cloned.runtime.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.schema.SchemaValidator;

import java.util.List;
import java.util.Objects;

/**
 * A tool the gateway can dispatch: its descriptor and its handler. Its input schema is compiled on the first call
 * that needs it and kept with the tool, so a call never renders or looks up the schema again.
 */
public final class RegisteredTool {
    private final ToolDescriptor descriptor;
    private final ToolHandler handler;
    private final boolean nonBlocking;
    private final AsyncToolHandler async;
    private volatile SchemaValidator.Compiled inputSchema;

    /** A tool whose handler may block (I/O, a connector process, a vault): it never runs on an event loop. */
    public RegisteredTool(ToolDescriptor descriptor, ToolHandler handler) {
        this(descriptor, handler, false, null);
    }

    private RegisteredTool(ToolDescriptor descriptor, ToolHandler handler, boolean nonBlocking, AsyncToolHandler async) {
        this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.nonBlocking = nonBlocking;
        this.async = async;
    }

    /**
     * A tool whose handler only computes, briefly, on what it is given: no I/O, no lock, no vault, no waiting. The
     * gateway may run it on an event loop, so a call to it hops no thread. Mark nothing else so.
     */
    public static RegisteredTool nonBlocking(ToolDescriptor descriptor, ToolHandler handler) {
        return new RegisteredTool(descriptor, handler, true, null);
    }

    /**
     * A tool that can also be started without waiting ({@link AsyncToolHandler}): a governed call that may not block
     * (from an event loop) starts it with {@code async}; a caller that waits anyway (the CLI, a pipeline) runs
     * {@code handler}. Both must do the same.
     */
    public static RegisteredTool async(ToolDescriptor descriptor, ToolHandler handler, AsyncToolHandler async) {
        return new RegisteredTool(descriptor, handler, false, Objects.requireNonNull(async, "async"));
    }

    public ToolDescriptor descriptor() {
        return descriptor;
    }

    public ToolHandler handler() {
        return handler;
    }

    /** Whether the handler never blocks (see {@link #nonBlocking(ToolDescriptor, ToolHandler)}). */
    public boolean nonBlocking() {
        return nonBlocking;
    }

    /** How to start the tool without waiting, or null when it has only a (possibly blocking) handler. */
    public AsyncToolHandler asyncHandler() {
        return async;
    }

    /** What is wrong with {@code input} for this tool's input schema, as {@code /pointer: message}; empty when valid. */
    public List<String> inputViolations(JsonNode input) {
        if (descriptor.inputSchema() == null) {
            return List.of();
        }
        SchemaValidator.Compiled s = inputSchema;
        if (s == null) { // a race compiles twice, harmlessly
            s = SchemaValidator.compile(descriptor.inputSchema());
            inputSchema = s;
        }
        return s.violations(input);
    }

    @Override
    public String toString() {
        return "RegisteredTool[" + descriptor.id() + "]";
    }
}
