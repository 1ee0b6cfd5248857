package dev.cloned.cli.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.cloned.rules.Effect;
import dev.cloned.rules.diff.PackDiff;
import dev.cloned.rules.json.CanonicalJson;

import java.io.IOException;

/** JSON for policy reports (simulation, diff, explanation): snake_case keys, effects and changes in wire form. */
public final class PolicyJson {
    private static final ObjectMapper MAPPER = CanonicalJson.MAPPER.copy()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .registerModule(new SimpleModule("cloned-policy-json")
            .addSerializer(Effect.class, new JsonSerializer<>() {
                @Override
                public void serialize(Effect e, JsonGenerator g, SerializerProvider p) throws IOException {
                    g.writeString(e.wire());
                }
            })
            .addSerializer(PackDiff.Change.class, new JsonSerializer<>() {
                @Override
                public void serialize(PackDiff.Change c, JsonGenerator g, SerializerProvider p) throws IOException {
                    g.writeString(c.wire());
                }
            }));

    private PolicyJson() {
    }

    /** A record as a JSON tree in the report shape. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }
}
