package dev.cloned.runtime.vault;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Azure credentials read the way Azure Identity reads them, without its dependency tree: a service principal
 * from {@code AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID}, {@code AZURE_CLIENT_SECRET} (and optionally
 * {@code AZURE_AUTHORITY_HOST}), else the signed-in Azure CLI ({@code az account get-access-token}).
 */
final class AzureTokenCredentials {
    static final String TENANT = "AZURE_TENANT_ID";
    static final String CLIENT_ID = "AZURE_CLIENT_ID";
    static final String CLIENT_SECRET = "AZURE_CLIENT_SECRET";
    static final String AUTHORITY = "AZURE_AUTHORITY_HOST";
    static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AzureTokenCredentials() {
    }

    /** The credential the environment describes, and a description of it without any secret. */
    static Optional<TokenCredential> fromEnvironment(Environment env, HttpClient http) {
        Optional<String> tenant = env.get(TENANT);
        Optional<String> client = env.get(CLIENT_ID);
        Optional<String> secret = env.get(CLIENT_SECRET);
        if (tenant.isPresent() && client.isPresent() && secret.isPresent()) {
            String authority = env.get(AUTHORITY).orElse(DEFAULT_AUTHORITY).replaceAll("/+$", "");
            return Optional.of(new ClientSecret(authority, tenant.get(), client.get(), secret.get(), http));
        }
        return Optional.empty();
    }

    /** The Azure CLI credential (requires {@code az login}). */
    static TokenCredential azureCli() {
        return new AzureCli();
    }

    /** OAuth 2.0 client-credentials grant against Microsoft Entra ID. */
    private static final class ClientSecret implements TokenCredential {
        private final String authority;
        private final String tenant;
        private final String clientId;
        private final String clientSecret;
        private final HttpClient http;

        ClientSecret(String authority, String tenant, String clientId, String clientSecret, HttpClient http) {
            this.authority = authority;
            this.tenant = tenant;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.http = http;
        }

        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.fromCallable(() -> fetch(request.getScopes()));
        }

        private AccessToken fetch(List<String> scopes) {
            String form = "grant_type=client_credentials"
                    + "&client_id=" + enc(clientId)
                    + "&client_secret=" + enc(clientSecret)
                    + "&scope=" + enc(String.join(" ", scopes));
            HttpRequest req = new HttpRequest(HttpMethod.POST, authority + "/" + enc(tenant) + "/oauth2/v2.0/token")
                    .setHeaders(new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, "application/x-www-form-urlencoded"))
                    .setBody(BinaryData.fromString(form));
            try (HttpResponse resp = http.sendSync(req, Context.NONE)) {
                String body = resp.getBodyAsBinaryData().toString();
                if (resp.getStatusCode() != 200) {
                    // The error body names the problem (bad secret, unknown client); it never echoes the secret.
                    throw new ClientAuthenticationException("token request to " + authority + " for tenant " + tenant
                            + " failed with HTTP " + resp.getStatusCode() + ": " + errorOf(body), null);
                }
                JsonNode json = JSON.readTree(body);
                return new AccessToken(json.path("access_token").asText(),
                        OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(json.path("expires_in").asLong(300)));
            } catch (IOException e) {
                throw new ClientAuthenticationException("token response from " + authority + " is not JSON", null, e);
            }
        }

        private static String errorOf(String body) {
            try {
                JsonNode j = JSON.readTree(body);
                return j.path("error").asText("unknown") + " " + j.path("error_description").asText("");
            } catch (IOException e) {
                return "unreadable error body";
            }
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code az account get-access-token}; the signed-in user's token. */
    private static final class AzureCli implements TokenCredential {
        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.fromCallable(() -> fetch(request.getScopes()));
        }

        private AccessToken fetch(List<String> scopes) {
            String resource = scopes.isEmpty() ? "https://vault.azure.net" : scopes.get(0).replaceAll("/\\.default$", "");
            ProcessBuilder pb = new ProcessBuilder("az", "account", "get-access-token", "--resource", resource,
                    "--output", "json").redirectError(ProcessBuilder.Redirect.DISCARD);
            try {
                Process p = pb.start();
                byte[] out;
                try (InputStream in = p.getInputStream()) {
                    out = in.readAllBytes();
                }
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new ClientAuthenticationException("'az account get-access-token' failed; run 'az login' "
                            + "or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET", null);
                }
                JsonNode json = JSON.readTree(out);
                return new AccessToken(json.path("accessToken").asText(), expiry(json));
            } catch (IOException e) {
                throw new ClientAuthenticationException("no Azure credentials: the Azure CLI ('az') is not installed "
                        + "and AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET are not set", null, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClientAuthenticationException("interrupted while running the Azure CLI", null, e);
            }
        }

        private static OffsetDateTime expiry(JsonNode json) {
            if (json.hasNonNull("expires_on")) {
                return OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(json.get("expires_on").asLong()), ZoneOffset.UTC);
            }
            try {
                return java.time.LocalDateTime.parse(json.path("expiresOn").asText(),
                        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")).atZone(java.time.ZoneId.systemDefault())
                        .toOffsetDateTime();
            } catch (DateTimeParseException e) {
                return OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5);
            }
        }
    }
}
