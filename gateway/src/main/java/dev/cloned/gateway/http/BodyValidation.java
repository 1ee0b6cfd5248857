package dev.cloned.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.rules.schema.SchemaValidator;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Contract validation of JSON request bodies: the body is parsed once, into the Jackson tree the route then uses
 * ({@link Routes#body}), and checked against the operation's schema from the contract, compiled once at start.
 * The OpenAPI router's own validation decodes the body into Vert.x JSON, builds a schema validator per request and
 * the route parsed the body a second time; on {@code POST /v1/tool-calls} that was a third of the gateway's CPU.
 * Operations with parameters keep the router's validation; those whose only input is a JSON body use this one,
 * with the same schemas (refs resolved by the contract's own schema repository) and {@link ValidatorException}s,
 * so {@link Failures} answers as before.
 */
final class BodyValidation {
    private static final String JSON = "application/json";
    private static final int SHOWN = 5;
    /** Like the router's decoder: one JSON value and nothing after it. */
    private static final ObjectReader READER = CanonicalJson.MAPPER.reader()
        .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private BodyValidation() {
    }

    /** Switches {@code route} to this validation when its operation takes only a JSON body. */
    static void install(OpenAPIContract contract, OpenAPIRoute route) {
        Operation op = route.getOperation();
        RequestBody body = op.getRequestBody();
        if (!op.getParameters().isEmpty() || body == null) {
            return;
        }
        Map<String, MediaType> content = body.getContent();
        MediaType json = content.get(JSON);
        if (json == null || content.size() != 1) {
            return;
        }
        SchemaValidator.Compiled schema = SchemaValidator.compile(schemaOf(contract, json));
        boolean required = body.isRequired();
        route.setDoValidation(false);
        route.getHandlers().add(0, validate(schema, required));
    }

    /** The media type's schema with every {@code $ref} inlined, as a Jackson tree. */
    static JsonNode schemaOf(OpenAPIContract contract, MediaType json) {
        JsonObject resolved = contract.getSchemaRepository().resolve(json.getSchema());
        try {
            return CanonicalJson.MAPPER.readTree(resolved.encode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the contract's schema for a request body is not JSON", e);
        }
    }

    private static Handler<RoutingContext> validate(SchemaValidator.Compiled schema, boolean required) {
        return ctx -> {
            Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
            if (raw == null || raw.length() == 0) {
                if (required) {
                    ctx.fail(400, new ValidatorException("The related request does not contain the required body.",
                        ValidatorErrorType.MISSING_REQUIRED_PARAMETER));
                } else {
                    ctx.next();
                }
                return;
            }
            String type = ctx.request().getHeader("Content-Type");
            if (type == null || !type.regionMatches(true, 0, JSON, 0, JSON.length())) {
                ctx.fail(400, new ValidatorException("The format of the request body is not supported",
                    ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT));
                return;
            }
            JsonNode value;
            try {
                value = READER.readTree(raw.getBytes());
            } catch (IOException e) {
                value = null;
            }
            if (value == null || value.isMissingNode()) {
                ctx.fail(400, new ValidatorException("The value of the request body could not be decoded",
                    ValidatorErrorType.ILLEGAL_VALUE));
                return;
            }
            List<String> errors = schema.violations(value);
            if (!errors.isEmpty()) {
                ctx.fail(400, new ValidatorException("The request body is invalid: "
                    + String.join("; ", errors.subList(0, Math.min(SHOWN, errors.size()))),
                    ValidatorErrorType.INVALID_VALUE));
                return;
            }
            ctx.put(Routes.PARSED_BODY, value);
            ctx.next();
        };
    }
}
