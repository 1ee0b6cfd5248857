package dev.cloned.runtime.connectors;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;

import java.util.List;

/**
 * The outcome of verifying a package (dry run, or re-verification of an installed copy): what it is, whether it
 * passed, and if not the stable code and exact reason. {@code tools} lists tool ids when the manifest was readable.
 */
public record VerificationReport(String location, String connectorId, String version, String publisherId,
                                 boolean verified, ErrorCode errorCode, String reason, List<String> tools,
                                 List<String> warnings) {
    public VerificationReport {
        tools = List.copyOf(tools);
        warnings = List.copyOf(warnings);
        if (verified != (errorCode == null)) {
            throw new IllegalArgumentException("errorCode must be set exactly when verification failed");
        }
    }

    static VerificationReport passed(String location, ConnectorManifest m, List<String> warnings) {
        return new VerificationReport(location, m.id(), m.version(), m.publisherId(), true, null,
                "signature, hashes, revocations and publisher policy verified",
                m.tools().stream().map(ToolSpec::id).toList(), warnings);
    }

    static VerificationReport failed(String location, String id, String version, String publisher, ClonedException e) {
        return new VerificationReport(location, id, version, publisher, false, e.code(), e.getMessage(), List.of(), List.of());
    }
}
