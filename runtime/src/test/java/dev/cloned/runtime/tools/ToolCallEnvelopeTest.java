package dev.cloned.runtime.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cloned.rules.json.CanonicalJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ToolCallEnvelopeTest {
    private static ToolCallEnvelope envelope(String tool, String input) throws Exception {
        return new ToolCallEnvelope(tool, CanonicalJson.MAPPER.readTree(input), "tester", false, null);
    }

    @Test
    void should_give_the_same_hashes_from_one_rendering_as_from_two() throws Exception {
        for (ToolCallEnvelope e : new ToolCallEnvelope[] {
            envelope("cloned.internal.echo@v1", "{\"b\":[1,2,{\"z\":null,\"a\":\"\\u00e9\\n\\\"\"}],\"a\":1.5}"),
            envelope("odd\"tool\\id@v1", "{}"),
            envelope("t@v2", "[\"not an object\"]")}) {
            ToolCallEnvelope.Hashes h = e.hashes();
            ObjectNode payload = CanonicalJson.MAPPER.createObjectNode().put("tool_id", e.toolId());
            payload.set("input", e.input());
            assertThat(h.input()).isEqualTo(e.inputHash())
                .isEqualTo(CanonicalJson.sha256(CanonicalJson.write(e.input())));
            assertThat(h.payload()).isEqualTo(e.payloadHash())
                .isEqualTo(CanonicalJson.sha256(CanonicalJson.write(payload)));
        }
        assertThat(envelope("a@v1", "{\"x\":1}").hashes().payload())
            .isNotEqualTo(envelope("b@v1", "{\"x\":1}").hashes().payload());
    }
}
