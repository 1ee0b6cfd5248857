package dev.cloned.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.cli.ExitCodes;
import dev.cloned.cli.support.OutputOption;
import dev.cloned.cli.support.WorkspaceOption;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.ClonedGateway;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.Workspace;
import dev.cloned.runtime.WorkspaceConfig;
import dev.cloned.runtime.audit.AuditEntries;
import dev.cloned.runtime.vault.SecretInfo;
import dev.cloned.runtime.vault.Vault;
import dev.cloned.runtime.vault.VaultConfig;
import dev.cloned.runtime.vault.VaultRef;
import dev.cloned.runtime.vault.VaultStatus;
import dev.cloned.runtime.vault.Vaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code cloned vault status|set|get|delete|provider|bootstrap}: secrets by name; values are never printed. */
@Command(name = "vault", mixinStandardHelpOptions = true,
    description = "Manage secrets (values are never shown) and choose the vault provider (dev, file, azure).")
public final class VaultCommand {
    @Mixin
    WorkspaceOption ws;
    @Mixin
    OutputOption output;
    @Spec
    CommandSpec spec;

    @Command(name = "status", mixinStandardHelpOptions = true,
        description = "Provider, whether it is reachable, and secret names with their last update. Exit 3 when unreachable.")
    int status() {
        try (ClonedGateway gw = ws.open()) {
            VaultStatus st;
            List<SecretInfo> secrets = List.of();
            try {
                Vault v = gw.vault();
                st = v.status();
                if (st.reachable()) {
                    secrets = v.list();
                }
            } catch (ClonedException e) {
                st = new VaultStatus(gw.config().vault().path("provider").asText("dev"), "-", false, false,
                    e.getMessage() + (e.hint() == null ? "" : " (fix: " + e.hint() + ")"), e.code());
            }
            print(gw, st, secrets);
            return st.reachable() ? ExitCodes.OK : ExitCodes.DENIED;
        }
    }

    private void print(ClonedGateway gw, VaultStatus st, List<SecretInfo> secrets) {
        if (output.json()) {
            ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("provider", st.provider())
                .put("location", gw.redactor().redact(st.location())).put("reachable", st.reachable())
                .put("development_only", st.developmentOnly()).put("message", gw.redactor().redact(st.message()));
            ArrayNode a = n.putArray("secrets");
            secrets.forEach(s -> a.addObject().put("name", s.name())
                .put("updated_at", s.updatedAt() == null ? null : s.updatedAt().toString()));
            OutputOption.printJson(out(), n);
            return;
        }
        out().println("provider:  " + st.provider() + (st.developmentOnly() ? " (development only)" : ""));
        out().println("location:  " + st.location());
        out().println("reachable: " + (st.reachable() ? "yes" : "no") + " — " + gw.redactor().redact(st.message()));
        if (!secrets.isEmpty()) {
            out().println();
            OutputOption.printTable(out(), List.of("SECRET", "UPDATED"), secrets.stream().map(s -> List.of(s.name(),
                s.updatedAt() == null ? "-" : s.updatedAt().toString())).toList());
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
        description = "Store a secret. The value is read from standard input or a hidden prompt, never from the command line.")
    int set(@Parameters(paramLabel = "NAME") String name) {
        VaultRef.requireValidName(name);
        String value = readValue(name);
        try (ClonedGateway gw = ws.open()) {
            Vault v = gw.vault();
            v.set(name, value);
            gw.audit().append(AuditEntries.system(Instant.now(), WorkspaceOption.actor(), gw.config().workspaceId(),
                "vault.set", CanonicalJson.MAPPER.createObjectNode().put("name", name).put("provider", v.provider())));
            out().println("stored " + name + " in the " + v.provider() + " vault; refer to it as vault://" + name);
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
        description = "Whether a secret exists and when it was updated; the value is never revealed.")
    int get(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--reveal-never", description = "Accepted for clarity: values are never revealed.") boolean never) {
        try (ClonedGateway gw = ws.open()) {
            SecretInfo info = gw.vault().list().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new ClonedException(ErrorCode.SECRET_NOT_FOUND, "no secret named '" + name + "'",
                    "store it with 'cloned vault set " + name + "'"));
            out().println(name + ": set" + (info.updatedAt() == null ? "" : ", updated " + info.updatedAt())
                + " (value never shown; refer to it as vault://" + name + ")");
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a secret.")
    int delete(@Parameters(paramLabel = "NAME") String name) {
        try (ClonedGateway gw = ws.open()) {
            Vault v = gw.vault();
            if (!v.delete(name)) {
                throw new ClonedException(ErrorCode.SECRET_NOT_FOUND, "no secret named '" + name + "' in the "
                    + v.provider() + " vault");
            }
            gw.audit().append(AuditEntries.system(Instant.now(), WorkspaceOption.actor(), gw.config().workspaceId(),
                "vault.delete", CanonicalJson.MAPPER.createObjectNode().put("name", name).put("provider", v.provider())));
            out().println("deleted " + name + " from the " + v.provider() + " vault");
            return ExitCodes.OK;
        }
    }

    @Command(name = "provider", mixinStandardHelpOptions = true,
        description = "Switch the vault provider (edits config.yaml; secrets are not copied between providers).")
    int provider(@Parameters(paramLabel = "PROVIDER", description = "dev, file or azure") String id,
                 @Option(names = "--key-file", paramLabel = "FILE", description = "file: a 0600 key file (32 bytes).") String keyFile,
                 @Option(names = "--passphrase-env", paramLabel = "VAR", description = "file: variable holding the passphrase.") String passEnv,
                 @Option(names = "--vault-url", paramLabel = "URL", description = "azure: https://NAME.vault.azure.net") String url,
                 @Option(names = "--ca-file", paramLabel = "FILE", description = "azure: PEM bundle to trust instead of the system's.") String caFile) {
        Workspace w = ws.workspace();
        VaultConfig cfg = new VaultConfig(VaultConfig.Provider.of(id), Map.of());
        cfg = with(cfg, VaultConfig.KEY_FILE, keyFile);
        cfg = with(cfg, VaultConfig.PASSPHRASE_ENV, passEnv);
        cfg = with(cfg, VaultConfig.VAULT_URL, url);
        cfg = with(cfg, VaultConfig.CA_FILE, caFile);
        WorkspaceConfig current = w.config();
        w.writeConfig(current.withVault(CanonicalJson.MAPPER.valueToTree(cfg.toMap())));
        out().println("vault provider is now " + cfg.provider().id() + " (" + w.configFile() + ")");
        return status();
    }

    private static VaultConfig with(VaultConfig cfg, String key, String value) {
        if (value == null) {
            return cfg;
        }
        if (!cfg.provider().settingKeys().contains(key)) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "--" + key.replace('_', '-') + " does not apply to the "
                + cfg.provider().id() + " provider");
        }
        return cfg.with(key, value);
    }

    @Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = "Print the steps to create and connect a vault (az CLI commands and environment exports).")
    int bootstrap(@Parameters(paramLabel = "PROVIDER", description = "azure") String id) {
        if (!"azure".equals(id)) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "only 'bootstrap azure' exists",
                "the dev and file vaults need no setup: 'cloned vault provider file'");
        }
        out().print(Vaults.azureBootstrapText());
        out().flush();
        return ExitCodes.OK;
    }

    private static String readValue(String name) {
        Console console = System.console();
        String value;
        if (console != null) {
            char[] chars = console.readPassword("value for %s (hidden): ", name);
            value = chars == null ? "" : new String(chars);
            java.util.Arrays.fill(chars == null ? new char[0] : chars, '\0');
        } else {
            try {
                value = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, "cannot read the secret from standard input: "
                    + e.getMessage());
            }
            value = value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        }
        if (value.isEmpty()) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "no value given for " + name,
                "pipe it in: printf %s \"$VALUE\" | cloned vault set " + name);
        }
        return value;
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
