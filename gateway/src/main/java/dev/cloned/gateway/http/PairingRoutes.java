package dev.cloned.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.gateway.auth.AuthGuard;
import dev.cloned.gateway.auth.Device;
import dev.cloned.gateway.auth.DeviceRegistry;
import dev.cloned.gateway.auth.Ed25519Keys;
import dev.cloned.gateway.auth.Scopes;
import dev.cloned.gateway.auth.Session;
import dev.cloned.gateway.auth.Sessions;
import dev.cloned.rules.json.CanonicalJson;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Device pairing: a device signs a server nonce with its Ed25519 key and stays pending until an admin approves it;
 * an approved device signs a fresh nonce to get a short-lived token. Bad signatures count as auth failures.
 */
final class PairingRoutes {
    private final DeviceRegistry devices;
    private final Sessions sessions;
    private final AuthGuard guard;
    private final Blocking blocking;
    private final Clock clock;
    private final Runnable devicesChanged;

    PairingRoutes(DeviceRegistry devices, Sessions sessions, AuthGuard guard, Blocking blocking, Clock clock,
                  Runnable devicesChanged) {
        this.devices = devices;
        this.sessions = sessions;
        this.guard = guard;
        this.blocking = blocking;
        this.clock = clock;
        this.devicesChanged = devicesChanged;
    }

    void mount(RouterBuilder rb) {
        Routes.on(rb, "createPairingChallenge", null, ctx -> Reply.ok(CanonicalJson.MAPPER.createObjectNode()
            .put("nonce", sessions.nonce()).put("expires_at", clock.instant().plus(Sessions.NONCE_TTL).toString()))
            .send(ctx.response()));
        Routes.on(rb, "requestPairing", null, Routes.safe(this::requestPairing));
        Routes.on(rb, "issueToken", null, Routes.safe(this::issueToken));
        Routes.on(rb, "getSession", Scopes.READ, ctx -> Reply.ok(session(Routes.session(ctx), null))
            .send(ctx.response()));
        Routes.on(rb, "listDevices", Scopes.ADMIN, ctx -> blocking.respond(ctx, () -> {
            ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
            devices.list().forEach(d -> a.add(DeviceRegistry.view(d)));
            return Reply.ok(CanonicalJson.MAPPER.createObjectNode().set("devices", a));
        }));
        Routes.on(rb, "approveDevice", Scopes.ADMIN, ctx -> blocking.respond(ctx, () -> {
            Device d = devices.approve(ctx.pathParam("id"));
            devicesChanged.run();
            return Reply.ok(DeviceRegistry.view(d));
        }));
        Routes.on(rb, "revokeDevice", Scopes.ADMIN, ctx -> blocking.respond(ctx, () -> {
            Device d = devices.revoke(ctx.pathParam("id"));
            sessions.revoke(d.id());
            devicesChanged.run();
            return Reply.ok(DeviceRegistry.view(d));
        }));
    }

    private void requestPairing(RoutingContext ctx) {
        ObjectNode b = Routes.body(ctx);
        String key = Ed25519Keys.normalize(b.get("public_key").asText());
        String nonce = b.get("nonce").asText();
        if (!sessions.consumeNonce(nonce) || !Ed25519Keys.verify(key, nonce, b.get("signature").asText())) {
            guard.reject(ctx, ErrorCode.UNAUTHORIZED, "the signature does not match a fresh server nonce",
                "get a nonce from POST /v1/pair/challenge and sign its UTF-8 bytes with the device's Ed25519 key");
            return;
        }
        List<String> scopes = new ArrayList<>();
        b.path("scopes").forEach(s -> scopes.add(s.asText()));
        List<String> granted = scopes.isEmpty() ? Scopes.DEFAULT : scopes;
        String name = b.get("name").asText();
        blocking.respond(ctx, () -> Reply.json(202, DeviceRegistry.view(devices.request(name, key, granted))));
    }

    private void issueToken(RoutingContext ctx) {
        ObjectNode b = Routes.body(ctx);
        String id = b.get("device_id").asText();
        String nonce = b.get("nonce").asText();
        String sig = b.get("signature").asText();
        boolean fresh = sessions.consumeNonce(nonce);
        blocking.run(() -> devices.find(id)).onFailure(e -> Blocking.fail(ctx, e)).onSuccess(found -> {
            if (found.isEmpty() || !fresh || !Ed25519Keys.verify(found.get().publicKey(), nonce, sig)) {
                guard.reject(ctx, ErrorCode.UNAUTHORIZED, "unknown device, stale nonce or bad signature",
                    "sign a fresh nonce from POST /v1/pair/challenge with the paired key");
                return;
            }
            if (!found.get().approved()) {
                Blocking.fail(ctx, new ClonedException(ErrorCode.FORBIDDEN, "device " + id + " is "
                    + found.get().status(), "ask an admin: `cloned pair approve " + id + "`"));
                return;
            }
            Map.Entry<String, Session> issued = sessions.issue(found.get());
            Reply.ok(session(issued.getValue(), issued.getKey())).send(ctx.response());
        });
    }

    private static ObjectNode session(Session s, String token) {
        ObjectNode n = CanonicalJson.MAPPER.createObjectNode().put("subject", s.subject());
        if (token != null) {
            n.put("access_token", token);
        }
        n.put("csrf_token", s.csrfToken());
        n.set("scopes", CanonicalJson.MAPPER.valueToTree(s.scopes()));
        n.put("expires_at", s.expiresAt().toString());
        return n;
    }
}
