package dev.cloned.runtime.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTPS server on 127.0.0.1 speaking the part of the Key Vault secrets REST API the SDK uses: bearer
 * challenge, PUT/GET/DELETE /secrets/{name}, GET /secrets, GET/DELETE /deletedsecrets/{name}, the
 * api-version parameter, Key Vault's name charset (case-insensitive), soft delete; plus an Entra ID style
 * client-credentials token endpoint at /{tenant}/oauth2/v2.0/token.
 */
public final class FakeKeyVaultServer implements AutoCloseable {
    public static final String TOKEN = "test-access-token";
    public static final String TENANT = "test-tenant";
    public static final String CLIENT_ID = "test-client";
    public static final String CLIENT_SECRET = "test-client-secret-value";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AZURE_NAME = Pattern.compile("[0-9a-zA-Z-]{1,127}");

    private record Stored(String name, String value, Map<String, String> tags, long created, long updated) {
    }

    private final HttpsServer server;
    private final Map<String, Stored> secrets = new ConcurrentHashMap<>();
    private final Map<String, Stored> deleted = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong(1_700_000_000L);
    final List<String> requests = new CopyOnWriteArrayList<>();

    public FakeKeyVaultServer(TestCertificates certs) throws Exception {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certs.serverContext()));
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code https://127.0.0.1:PORT}: the vault URL and, for the token endpoint, the authority host. */
    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Forgets every secret, live and deleted. */
    public void reset() {
        secrets.clear();
        deleted.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            requests.add(method + " " + path);
            if (path.endsWith("/oauth2/v2.0/token")) {
                token(ex, path, new String(body, StandardCharsets.UTF_8));
                return;
            }
            String query = ex.getRequestURI().getQuery();
            if (query == null || !query.contains("api-version=")) {
                error(ex, 400, "BadParameter", "api-version is required");
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null) {
                ex.getResponseHeaders().add("WWW-Authenticate",
                        "Bearer authorization=\"https://login.microsoftonline.com/" + TENANT + "\", resource=\"https://vault.azure.net\"");
                error(ex, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
                return;
            }
            if (!auth.equals("Bearer " + TOKEN)) {
                error(ex, 401, "Unauthorized", "AKV10032: Invalid issuer.");
                return;
            }
            route(ex, method, path, body);
        } catch (RuntimeException e) {
            error(ex, 500, "InternalError", String.valueOf(e.getMessage()));
        }
    }

    private void route(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        Matcher one = Pattern.compile("/secrets/([^/]+)(/[^/]*)?").matcher(path);
        Matcher del = Pattern.compile("/deletedsecrets/([^/]+)").matcher(path);
        if (path.equals("/secrets") && method.equals("GET")) {
            ObjectNode out = JSON.createObjectNode();
            ArrayNode items = out.putArray("value");
            new TreeMap<>(secrets).values().forEach(s -> {
                ObjectNode item = items.addObject();
                item.put("id", url() + "/secrets/" + s.name());
                item.set("attributes", attributes(s));
                item.set("tags", JSON.valueToTree(s.tags()));
            });
            out.putNull("nextLink");
            send(ex, 200, out);
        } else if (one.matches()) {
            String name = one.group(1);
            if (!AZURE_NAME.matcher(name).matches()) {
                error(ex, 400, "BadParameter", "The request URI contains an invalid name: " + name);
                return;
            }
            String key = name.toLowerCase(Locale.ROOT);
            switch (method) {
                case "PUT":
                    if (deleted.containsKey(key)) {
                        error(ex, 409, "Conflict", "Secret " + name + " is currently in a deleted but recoverable state");
                        return;
                    }
                    JsonNode req = JSON.readTree(body);
                    Stored prev = secrets.get(key);
                    long now = clock.incrementAndGet();
                    Map<String, String> tags = new TreeMap<>();
                    req.path("tags").properties().forEach(t -> tags.put(t.getKey(), t.getValue().asText()));
                    Stored s = new Stored(name, req.path("value").asText(), tags, prev == null ? now : prev.created(), now);
                    secrets.put(key, s);
                    send(ex, 200, bundle(s, true));
                    return;
                case "GET":
                    Stored found = secrets.get(key);
                    if (found == null) {
                        error(ex, 404, "SecretNotFound", "A secret with (name/id) " + name + " was not found in this key vault.");
                    } else {
                        send(ex, 200, bundle(found, true));
                    }
                    return;
                case "DELETE":
                    Stored gone = secrets.remove(key);
                    if (gone == null) {
                        error(ex, 404, "SecretNotFound", "A secret with (name/id) " + name + " was not found in this key vault.");
                        return;
                    }
                    deleted.put(key, gone);
                    ObjectNode d = bundle(gone, false);
                    d.put("recoveryId", url() + "/deletedsecrets/" + gone.name());
                    d.put("deletedDate", clock.get());
                    d.put("scheduledPurgeDate", clock.get() + 7776000);
                    send(ex, 200, d);
                    return;
                default:
                    error(ex, 405, "MethodNotAllowed", method);
            }
        } else if (del.matches()) {
            String key = del.group(1).toLowerCase(Locale.ROOT);
            Stored s = deleted.get(key);
            if (s == null) {
                error(ex, 404, "DeletedSecretNotFound", "Deleted Secret not found");
            } else if (method.equals("GET")) {
                ObjectNode d = bundle(s, false);
                d.put("recoveryId", url() + "/deletedsecrets/" + s.name());
                send(ex, 200, d);
            } else if (method.equals("DELETE")) {
                deleted.remove(key);
                ex.sendResponseHeaders(204, -1);
            } else {
                error(ex, 405, "MethodNotAllowed", method);
            }
        } else {
            error(ex, 404, "NotFound", path);
        }
    }

    private void token(HttpExchange ex, String path, String form) throws IOException {
        Map<String, String> f = new TreeMap<>();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            f.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        boolean ok = path.equals("/" + TENANT + "/oauth2/v2.0/token")
                && "client_credentials".equals(f.get("grant_type"))
                && CLIENT_ID.equals(f.get("client_id")) && CLIENT_SECRET.equals(f.get("client_secret"))
                && "https://vault.azure.net/.default".equals(f.get("scope"));
        ObjectNode out = JSON.createObjectNode();
        if (ok) {
            out.put("token_type", "Bearer").put("expires_in", 3600).put("access_token", TOKEN);
            send(ex, 200, out);
        } else {
            out.put("error", "invalid_client").put("error_description", "AADSTS7000215: Invalid client secret provided.");
            send(ex, 401, out);
        }
    }

    private ObjectNode bundle(Stored s, boolean withValue) {
        ObjectNode n = JSON.createObjectNode();
        if (withValue) {
            n.put("value", s.value());
        }
        n.put("id", url() + "/secrets/" + s.name() + "/0123456789abcdef0123456789abcdef");
        n.put("contentType", "text/plain");
        n.set("attributes", attributes(s));
        n.set("tags", JSON.valueToTree(s.tags()));
        return n;
    }

    private static ObjectNode attributes(Stored s) {
        ObjectNode a = JSON.createObjectNode();
        a.put("enabled", true).put("created", s.created()).put("updated", s.updated())
                .put("recoveryLevel", "Recoverable+Purgeable").put("recoverableDays", 90);
        return a;
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.putObject("error").put("code", code).put("message", message);
        send(ex, status, n);
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
