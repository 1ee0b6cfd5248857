package dev.cloned.cli.command;

import dev.cloned.rules.Reason;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.tools.CallResult;

import java.io.PrintWriter;

/** Human output of a governed call. */
final class CallPrinter {
    private CallPrinter() {
    }

    static void print(PrintWriter out, String toolId, CallResult r) {
        out.println(r.status().wire() + ": " + toolId + "  (" + r.callId() + ")");
        if (r.decision() != null) {
            out.println("  decision: " + r.decision().effect().wire() + "  rules: "
                + String.join(", ", r.decision().firedRuleNames()));
            for (Reason reason : r.decision().decisiveReasons()) {
                out.println("  reason:   " + reason.code() + ": " + reason.message() + "  [" + reason.rule() + "]");
            }
            if (r.decision().egress() != null) {
                out.println("  egress:   " + r.decision().egress().describe());
            }
            r.decision().charges().forEach(c -> out.println("  charge:   " + c.category() + " " + c.amount()));
        }
        r.budgets().forEach(b -> out.println("  budget:   " + b.category() + " " + b.used() + "/" + b.cap()
            + " used, " + b.remaining() + " left until " + b.windowEnd()));
        if (r.status() == CallResult.Status.PENDING_APPROVAL) {
            out.println("  approval: " + r.approvalId() + " — approve with `cloned approvals approve " + r.approvalId()
                + "`, then repeat the call");
        }
        if (r.error() != null) {
            out.println("  error:    " + r.error());
        }
        if (r.output() != null) {
            out.println("  output:   " + CanonicalJson.write(r.output()));
        }
    }
}
