package dev.cloned.gateway.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloned.rules.EgressMatch;
import dev.cloned.rules.egress.EgressPolicy;
import dev.cloned.runtime.policy.ActivePolicy;
import dev.cloned.runtime.tools.RegisteredTool;
import dev.cloned.runtime.tools.ToolContext;

/** Runs an allowed tool, turning any exception into a failure outcome with a one-line message. */
final class Dispatcher {
    private final ActivePolicy policy;

    Dispatcher(ActivePolicy policy) {
        this.policy = policy;
    }

    record Outcome(boolean ok, JsonNode output, String error) {
    }

    Outcome run(RegisteredTool tool, JsonNode input, String callId) {
        ToolContext ctx = new ToolContext() {
            @Override
            public String callId() {
                return callId;
            }

            @Override
            public EgressMatch checkEgress(String host) {
                return new EgressPolicy(policy.current().pack().allowlists())
                    .resolve(host, tool.descriptor().id(), tool.descriptor().connectorId());
            }
        };
        try {
            return new Outcome(true, tool.handler().invoke(input, ctx), null);
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(false, null, msg);
        }
    }
}
