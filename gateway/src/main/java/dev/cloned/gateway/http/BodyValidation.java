package dev.cloned.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;

import java.util.Map;

/**
 * Contract validation of JSON request bodies with one schema validator per operation, built at start. The OpenAPI
 * router's own validator builds a new schema validator, copying the contract's whole schema repository, for every
 * request; on {@code POST /v1/tool-calls} that was most of the gateway's CPU. Operations with parameters keep the
 * router's validation; those whose only input is a JSON body use this one, with the same schemas and the same
 * {@link ValidatorException}s, so {@link Failures} answers exactly as before.
 */
final class BodyValidation {
    private static final String JSON = "application/json";

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
        Validator validator = contract.getSchemaRepository().validator(json.getSchema());
        boolean required = body.isRequired();
        route.setDoValidation(false);
        route.getHandlers().add(0, validate(validator, required));
    }

    private static Handler<RoutingContext> validate(Validator validator, boolean required) {
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
            Object value;
            try {
                value = Json.decodeValue(raw);
            } catch (DecodeException e) {
                ctx.fail(400, new ValidatorException("The value of the request body could not be decoded",
                    ValidatorErrorType.ILLEGAL_VALUE));
                return;
            }
            OutputUnit result = validator.validate(value);
            try {
                result.checkValidity();
            } catch (JsonSchemaValidationException e) {
                ctx.fail(400, SchemaValidationException.createInvalidValueRequestBody(result, e));
                return;
            }
            ctx.next();
        };
    }
}
