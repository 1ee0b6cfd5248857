package dev.cloned.runtime.tools;

import java.util.Objects;

/** A tool the gateway can dispatch: its descriptor and its handler. */
public record RegisteredTool(ToolDescriptor descriptor, ToolHandler handler) {
    public RegisteredTool {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(handler, "handler");
    }
}
