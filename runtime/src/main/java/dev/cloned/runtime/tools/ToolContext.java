package dev.cloned.runtime.tools;

import dev.cloned.rules.EgressMatch;

/**
 * What a running tool may ask of the gateway: its call id, and the egress check that every outbound request
 * (including each redirect) must pass.
 */
public interface ToolContext {
    /** The id of the call being run. */
    String callId();

    /** Resolves an outbound host for this tool against the active policy; denied hosts must not be contacted. */
    EgressMatch checkEgress(String host);
}
