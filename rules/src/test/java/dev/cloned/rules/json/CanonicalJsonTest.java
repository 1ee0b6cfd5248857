package dev.cloned.rules.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-pass canonical writer must produce exactly what Jackson writes for the key-sorted tree: hashes depend on it. */
class CanonicalJsonTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Test
    void matchesJacksonOnTheSortedTreeForRandomTrees() throws Exception {
        Random rnd = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            JsonNode tree = random(rnd, 0);
            assertThat(CanonicalJson.write(tree)).isEqualTo(CanonicalJson.MAPPER.writeValueAsString(sorted(tree)));
        }
    }

    @Test
    void escapesControlCharactersQuotesAndBackslashesLikeJackson() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        all.append("é€😀\uD800 end");
        ObjectNode o = F.objectNode().put("k\n\"" , all.toString());
        String text = CanonicalJson.write(o);
        assertThat(text).isEqualTo(CanonicalJson.MAPPER.writeValueAsString(o));
        assertThat(text).contains("\\u0001", "\\u001F", "\\b", "\\f", "\\t", "\\n", "\\r", "\\\"", "\\\\", "é€😀");
        assertThat(CanonicalJson.MAPPER.readTree(text)).isEqualTo(o);
    }

    @Test
    void sortsNestedKeysAndKeepsArrayOrder() {
        ObjectNode o = F.objectNode();
        o.putObject("b").put("z", 1).put("a", 2);
        o.putArray("a").add(3).add(1).addObject().put("y", true).putNull("x");
        assertThat(CanonicalJson.write(o)).isEqualTo("{\"a\":[3,1,{\"x\":null,\"y\":true}],\"b\":{\"a\":2,\"z\":1}}");
    }

    private static JsonNode random(Random rnd, int depth) {
        int kind = depth > 3 ? rnd.nextInt(7) : rnd.nextInt(9);
        return switch (kind) {
            case 0 -> F.textNode(randomText(rnd));
            case 1 -> F.numberNode(rnd.nextLong());
            case 2 -> F.numberNode(rnd.nextInt(1000) - 500);
            case 3 -> F.numberNode(rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20));
            case 4 -> F.booleanNode(rnd.nextBoolean());
            case 5 -> rnd.nextBoolean() ? F.nullNode() : F.numberNode(new BigDecimal(rnd.nextInt(100000)).movePointLeft(3));
            case 6 -> F.numberNode(BigInteger.valueOf(rnd.nextLong()).shiftLeft(70));
            case 7 -> {
                ArrayNode a = F.arrayNode();
                for (int i = rnd.nextInt(5); i > 0; i--) {
                    a.add(random(rnd, depth + 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = F.objectNode();
                for (int i = rnd.nextInt(6); i > 0; i--) {
                    o.set(randomText(rnd), random(rnd, depth + 1));
                }
                yield o;
            }
        };
    }

    private static String randomText(Random rnd) {
        String alphabet = "abcXYZ_09 \"\\\n\t\u0000\u001f\u007féü€😀/<>&'";
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(8); i > 0; i--) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** The reference: a deep copy with object keys sorted, as the canonical form was first defined. */
    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = F.objectNode();
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            names.forEach(n -> out.set(n, sorted(node.get(n))));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = F.arrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }
}
