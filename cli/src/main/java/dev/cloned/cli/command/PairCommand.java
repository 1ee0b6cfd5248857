package dev.cloned.cli.command;

import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.gateway.auth.Device;
import dev.cloned.gateway.auth.DeviceRegistry;
import dev.cloned.rules.json.CanonicalJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Clock;
import java.util.List;

/** {@code cloned pair list|approve|revoke}: device pairing requests (a running gateway notices within seconds). */
@Command(name = "pair", mixinStandardHelpOptions = true, description = "List, approve and revoke paired devices.")
public final class PairCommand {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Devices and their status (key fingerprints, never tokens).")
    int list() {
        List<Device> all = registry().list();
        if (output.json()) {
            var a = CanonicalJson.MAPPER.createArrayNode();
            all.forEach(d -> a.add(DeviceRegistry.view(d)));
            OutputOption.printJson(spec.commandLine().getOut(), CanonicalJson.MAPPER.createObjectNode().set("devices", a));
            return 0;
        }
        OutputOption.printTable(spec.commandLine().getOut(), List.of("ID", "NAME", "STATUS", "SCOPES", "FINGERPRINT"),
            all.stream().map(d -> List.of(d.id(), d.name(), d.status(), String.join(",", d.scopes()), d.fingerprint()))
                .toList());
        return 0;
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a pending device (compare its fingerprint first).")
    int approve(@Parameters(paramLabel = "ID") String id) {
        Device d = registry().approve(id);
        spec.commandLine().getOut().println("approved " + d.id() + " (" + d.name() + ", " + d.fingerprint() + ")");
        return 0;
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a device; its tokens stop working.")
    int revoke(@Parameters(paramLabel = "ID") String id) {
        Device d = registry().revoke(id);
        spec.commandLine().getOut().println("revoked " + d.id() + " (" + d.name() + ")");
        return 0;
    }

    private DeviceRegistry registry() {
        return new DeviceRegistry(ws.workspace(), Clock.systemUTC());
    }
}
