package dev.cloned.runtime.tools;

/**
 * The one way anything in Cloned calls a tool. The gateway implements it with the governed path
 * (decide, charge, approve, audit, dispatch); pipelines and skills depend only on this port.
 */
public interface ToolCallPort {
    /** Runs the governed path for one call. Blocks; never call it on an event loop. */
    CallResult call(ToolCallEnvelope envelope);
}
