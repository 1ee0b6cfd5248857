package dev.cloned.runtime.vault;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.core.util.polling.SyncPoller;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.DeletedSecret;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Azure Key Vault (bring your own vault) through the Azure SDK {@link SecretClient} on the Vert.x HTTP client.
 * The vault URL comes from configuration or {@code AZURE_KEYVAULT_URL}; credentials from the environment
 * ({@link AzureTokenCredentials}). Every failure to reach or authenticate is one
 * {@link ErrorCode#VAULT_UNAVAILABLE} naming the vault; there is no local fallback.
 */
public final class AzureKeyVault implements Vault {
    /** Environment variable read when {@code vault_url} is not configured. */
    public static final String URL_ENV = "AZURE_KEYVAULT_URL";

    /** Client behaviour: retries, timeouts, challenge check, purge on delete. */
    public record Options(int maxRetries, Duration timeout, boolean verifyChallengeResource, boolean purgeOnDelete) {
        public Options {
            if (maxRetries < 0 || maxRetries > 10) {
                throw new ClonedException(ErrorCode.INVALID_INPUT, "max_retries must be between 0 and 10");
            }
            Objects.requireNonNull(timeout, "timeout");
        }

        /** Production defaults: 2 retries, 15 s per request, challenge verified, purge on delete. */
        public static Options defaults() {
            return new Options(2, Duration.ofSeconds(15), true, true);
        }
    }

    private final String vaultUrl;
    private final SecretClient client;
    private final Options options;
    private final VaultListener listener;
    private final Vertx ownedVertx;

    /**
     * A vault using {@code http} and {@code credential} as given (tests pass their own trust and token).
     * The caller keeps ownership of the HTTP client.
     */
    public AzureKeyVault(String vaultUrl, TokenCredential credential, HttpClient http, Options options, VaultListener listener) {
        this(vaultUrl, credential, http, options, listener, null);
    }

    private AzureKeyVault(String vaultUrl, TokenCredential credential, HttpClient http, Options options,
                          VaultListener listener, Vertx ownedVertx) {
        this.vaultUrl = requireHttpsUrl(vaultUrl);
        this.options = options;
        this.listener = listener;
        this.ownedVertx = ownedVertx;
        SecretClientBuilder builder = new SecretClientBuilder()
                .vaultUrl(this.vaultUrl)
                .credential(credential)
                .httpClient(http)
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions()
                        .setMaxRetries(options.maxRetries())
                        .setBaseDelay(Duration.ofMillis(400))
                        .setMaxDelay(Duration.ofSeconds(4))));
        if (!options.verifyChallengeResource()) {
            builder.disableChallengeResourceVerification();
        }
        this.client = builder.buildClient();
    }

    /** Opens the vault a {@code provider: azure} configuration describes. */
    public static AzureKeyVault open(VaultConfig config, Environment env, VaultListener listener) {
        String url = Optional.ofNullable(config.settings().get(VaultConfig.VAULT_URL))
                .or(() -> env.get(URL_ENV))
                .orElseThrow(() -> new ClonedException(ErrorCode.VAULT_UNAVAILABLE,
                        "no Azure Key Vault URL configured",
                        "set vault.azure.vault_url in .cloned/config.yaml or " + URL_ENV
                                + "; 'cloned vault bootstrap azure' prints the steps"));
        Options options = new Options(
                Integer.parseInt(config.setting(VaultConfig.MAX_RETRIES, "2")),
                Duration.ofSeconds(Long.parseLong(config.setting(VaultConfig.TIMEOUT_SECONDS, "15"))),
                Boolean.parseBoolean(config.setting(VaultConfig.VERIFY_CHALLENGE_RESOURCE, "true")),
                Boolean.parseBoolean(config.setting(VaultConfig.PURGE_ON_DELETE, "true")));
        HttpClientOptions httpOptions = new HttpClientOptions();
        String caFile = config.settings().get(VaultConfig.CA_FILE);
        if (caFile != null) {
            if (!Files.isReadable(Path.of(caFile))) {
                throw new ClonedException(ErrorCode.VAULT_UNAVAILABLE, "ca_file " + caFile + " is not readable",
                        "point vault.azure.ca_file at a PEM certificate bundle");
            }
            httpOptions.setTrustOptions(new PemTrustOptions().addCertPath(caFile));
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2).setUseDaemonThread(true));
        try {
            HttpClient http = new VertxHttpClientBuilder().vertx(vertx).httpClientOptions(httpOptions)
                    .connectTimeout(options.timeout()).responseTimeout(options.timeout())
                    .readTimeout(options.timeout()).writeTimeout(options.timeout()).build();
            TokenCredential credential = AzureTokenCredentials.fromEnvironment(env, http)
                    .orElseGet(AzureTokenCredentials::azureCli);
            return new AzureKeyVault(url, credential, http, options, listener, vertx);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    @Override
    public String provider() {
        return "azure";
    }

    @Override
    public Optional<String> get(String name) {
        String azureName = AzureSecretNames.toAzure(name);
        try {
            KeyVaultSecret secret = client.getSecret(azureName);
            listener.secretUsed(name, secret.getValue());
            return Optional.ofNullable(secret.getValue());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw failure("read secret '" + name + "'", e);
        }
    }

    @Override
    public void set(String name, String value) {
        String azureName = AzureSecretNames.toAzure(name);
        if (value == null || value.isEmpty()) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "secret '" + name + "' has an empty value");
        }
        listener.secretUsed(name, value);
        KeyVaultSecret secret = new KeyVaultSecret(azureName, value);
        secret.getProperties().setTags(Map.of(AzureSecretNames.TAG, name)).setContentType("text/plain");
        try {
            client.setSecret(secret);
        } catch (RuntimeException e) {
            throw failure("store secret '" + name + "'", e);
        }
    }

    @Override
    public boolean delete(String name) {
        String azureName = AzureSecretNames.toAzure(name);
        try {
            SyncPoller<DeletedSecret, Void> poller = client.beginDeleteSecret(azureName);
            poller.setPollInterval(Duration.ofMillis(250));
            poller.waitForCompletion(options.timeout().multipliedBy(2));
        } catch (ResourceNotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw failure("delete secret '" + name + "'", e);
        }
        if (options.purgeOnDelete()) {
            try {
                client.purgeDeletedSecret(azureName);
            } catch (ResourceNotFoundException e) {
                // soft-delete is off for this vault: the secret is already gone for good
            } catch (HttpResponseException e) {
                listener.warning("secret '" + name + "' was deleted but not purged (HTTP " + e.getResponse().getStatusCode()
                        + "); its name stays reserved until the vault's retention period ends");
            } catch (RuntimeException e) {
                throw failure("purge deleted secret '" + name + "'", e);
            }
        }
        return true;
    }

    @Override
    public List<SecretInfo> list() {
        List<SecretInfo> out = new ArrayList<>();
        try {
            for (SecretProperties p : client.listPropertiesOfSecrets()) {
                if (Boolean.TRUE.equals(p.isManaged())) {
                    continue; // backs a Key Vault certificate, not a Cloned secret
                }
                String original = p.getTags() == null ? null : p.getTags().get(AzureSecretNames.TAG);
                String name = original != null && VaultRef.isValidName(original)
                        && AzureSecretNames.toAzure(original).equalsIgnoreCase(p.getName()) ? original : p.getName();
                out.add(new SecretInfo(name, p.getUpdatedOn() == null ? null : p.getUpdatedOn().toInstant()));
            }
        } catch (RuntimeException e) {
            throw failure("list secrets", e);
        }
        out.sort(Comparator.comparing(SecretInfo::name));
        return out;
    }

    @Override
    public VaultStatus status() {
        try {
            int count = list().size();
            return new VaultStatus(provider(), vaultUrl, true, false, "Azure Key Vault reachable; " + count + " secret(s)", null);
        } catch (ClonedException e) {
            return new VaultStatus(provider(), vaultUrl, false, false,
                    e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"), e.code());
        }
    }

    @Override
    public void close() {
        if (ownedVertx != null) {
            try {
                ownedVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private ClonedException failure(String action, RuntimeException e) {
        if (e instanceof ClonedException) {
            return (ClonedException) e;
        }
        if (e instanceof ClientAuthenticationException && ((ClientAuthenticationException) e).getResponse() == null) {
            return new ClonedException(ErrorCode.VAULT_UNAVAILABLE,
                    "cannot " + action + ": no Azure token for " + vaultUrl + ": " + rootMessage(e),
                    "set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or run 'az login'", e);
        }
        if (e instanceof HttpResponseException && ((HttpResponseException) e).getResponse() != null) {
            int status = ((HttpResponseException) e).getResponse().getStatusCode();
            String hint = status == 401 || status == 403
                    ? "grant this identity the 'Key Vault Secrets Officer' role on the vault (or secret get/set/list/delete/purge permissions)"
                    : "check the vault in the Azure portal; 'cloned vault status' shows the provider state";
            return new ClonedException(ErrorCode.VAULT_UNAVAILABLE,
                    "cannot " + action + " in Azure Key Vault " + vaultUrl + ": HTTP " + status, hint, e);
        }
        return new ClonedException(ErrorCode.VAULT_UNAVAILABLE,
                "cannot " + action + ": Azure Key Vault " + vaultUrl + " is unreachable (" + rootMessage(e) + ")",
                "check vault.azure.vault_url, the network and any proxy; secrets are never read from elsewhere", e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }

    private static String requireHttpsUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not https");
            }
            return url.replaceAll("/+$", "");
        } catch (IllegalArgumentException e) {
            throw new ClonedException(ErrorCode.VAULT_UNAVAILABLE, "invalid Azure Key Vault URL '" + url + "'",
                    "use https://<name>.vault.azure.net");
        }
    }
}
