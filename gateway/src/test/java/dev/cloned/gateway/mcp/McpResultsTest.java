package dev.cloned.gateway.mcp;

import dev.cloned.rules.json.CanonicalJson;
import dev.cloned.runtime.tools.CallResult;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class McpResultsTest {
    private static CallResult succeeded(String output) throws Exception {
        return new CallResult(CallResult.Status.SUCCEEDED, "call_1", null, CanonicalJson.MAPPER.readTree(output), null,
            null, List.of(), 1);
    }

    @Test
    void should_pass_an_upstream_result_through_with_its_content_blocks() throws Exception {
        McpSchema.CallToolResult r = McpResults.of(succeeded("{\"content\":[{\"type\":\"text\",\"text\":\"hi\"},"
            + "{\"type\":\"image\",\"data\":\"iVBORw0KGgo=\",\"mimeType\":\"image/png\"}],\"structuredContent\":{\"n\":1}}"), true);

        assertThat(r.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(r.content()).hasSize(2);
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("hi");
        assertThat(((McpSchema.ImageContent) r.content().get(1)).mimeType()).isEqualTo("image/png");
        assertThat(r.structuredContent()).isEqualTo(java.util.Map.of("n", 1));
    }

    @Test
    void should_fall_back_to_json_text_when_a_content_block_is_of_a_kind_the_sdk_does_not_know() throws Exception {
        McpSchema.CallToolResult r = McpResults.of(succeeded("{\"content\":[{\"type\":\"hologram\",\"x\":1}]}"), true);

        assertThat(r.isError()).isFalse();
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).contains("hologram");
    }

    @Test
    void should_wrap_the_output_of_a_tool_that_is_not_an_mcp_server() throws Exception {
        McpSchema.CallToolResult r = McpResults.of(succeeded("{\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}"), false);

        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("{\"content\":[{\"text\":\"hi\",\"type\":\"text\"}]}");
    }
}
