package dev.cloned.rules.egress;

import dev.cloned.rules.EgressMatch;
import dev.cloned.rules.pack.PolicyPack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EgressHostsTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2} ({3})")
    @CsvSource(delimiter = '|', value = {
        "api.github.com     | api.github.com       | true  | exact host",
        "api.github.com     | API.GitHub.com.      | true  | case and trailing dot are normalized",
        "api.github.com     | github.com           | false | exact means exact",
        "*.example.com      | a.example.com        | true  | one extra label",
        "*.example.com      | a.b.example.com      | false | not two extra labels",
        "*.example.com      | example.com          | false | not the bare domain",
        "*.example.com      | aexample.com         | false | not a suffix without a dot",
        "xn--bcher-kva.de   | bücher.de            | true  | IDN compared as punycode",
        "*.xn--bcher-kva.de | shop.bücher.de       | true  | IDN under a wildcard",
        "127.0.0.1          | 127.0.0.1            | true  | listed IP literal",
        "*.0.0.1            | 127.0.0.1            | false | wildcards never match IPs",
    })
    void should_match_hosts_like_the_spec_says(String pattern, String host, boolean expected, String note) {
        String p = pattern.startsWith("*.0") ? pattern : EgressHosts.validatePattern(pattern);
        assertThat(EgressHosts.matches(p, EgressHosts.normalize(host))).as(note).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is rejected")
    @CsvSource(delimiter = '|', value = {"*", "*.com", "*.*", "api.*.com", "**.example.com", "*.127.0.0.1", "bad host"})
    void should_reject_over_broad_or_malformed_patterns(String pattern) {
        assertThatThrownBy(() -> EgressHosts.validatePattern(pattern)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} via {1}/{2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "api.duckduckgo.com | cloned.mcp.web.search@v1 | connector.web.search | tool",
        "html.duckduckgo.com| other@v1                 | connector.web.search | connector",
        "localhost          | other@v1                 | other                | global",
        "10.0.0.1           | other@v1                 | other                | none",
        "github.com         | cloned.mcp.web.search@v1 | connector.web.search | none",
    })
    void should_resolve_tool_then_connector_then_global(String host, String tool, String connector, String scope) {
        EgressPolicy policy = new EgressPolicy(new PolicyPack.Allowlists(Set.of(), Set.of(), Set.of(),
            List.of("localhost", "127.0.0.1"),
            Map.of("connector.web.search", List.of("api.duckduckgo.com", "html.duckduckgo.com")),
            Map.of("cloned.mcp.web.search@v1", List.of("api.duckduckgo.com"))));

        EgressMatch m = policy.resolve(host, tool, connector);

        assertThat(m.scope()).isEqualTo(scope);
        assertThat(m.allowed()).isEqualTo(!scope.equals("none"));
    }

    @Test
    void should_resolve_each_call_on_its_own_when_the_same_host_comes_back_through_other_tools() {
        EgressPolicy policy = new EgressPolicy(new PolicyPack.Allowlists(Set.of(), Set.of(), Set.of(),
            List.of("localhost"), Map.of("connector.web.search", List.of("html.duckduckgo.com")),
            Map.of("cloned.mcp.web.search@v1", List.of("api.duckduckgo.com"))));

        for (int round = 0; round < 2; round++) { // the second round answers from what the first resolved
            assertThat(policy.resolve("api.duckduckgo.com", "cloned.mcp.web.search@v1", "connector.web.search").scope())
                .isEqualTo("tool");
            assertThat(policy.resolve("api.duckduckgo.com", "other@v1", "connector.web.search").scope())
                .isEqualTo("none");
            assertThat(policy.resolve("html.duckduckgo.com", "other@v1", "connector.web.search").scope())
                .isEqualTo("connector");
            assertThat(policy.resolve("LOCALHOST.", null, null)).isEqualTo(policy.resolve("localhost", null, null))
                .extracting(EgressMatch::scope).isEqualTo("global");
            assertThat(policy.resolve("bad host!", "other@v1", null).allowed()).isFalse();
        }
    }
}
