package dev.cloned.rules.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.POJONode;

import java.io.IOException;

/**
 * A JSON value rendered to canonical text once, to be placed in many trees (e.g. the same decision recorded by many
 * audit entries). Put it in a tree with {@link #node()}; {@link CanonicalJson#write} copies the text instead of
 * rendering the value again, and Jackson writes the same text. {@link CanonicalJson#unwrap} gives the tree back.
 */
public final class CanonicalText implements JsonSerializable {
    private final JsonNode tree;
    private final String text;

    public CanonicalText(JsonNode tree) {
        this.tree = tree;
        this.text = CanonicalJson.write(tree);
    }

    /** The value as a tree (do not modify it: it is shared). */
    public JsonNode tree() {
        return tree;
    }

    /** The canonical text of the value. */
    public String text() {
        return text;
    }

    /** A node that holds this text, for {@code ObjectNode.set}. */
    public POJONode node() {
        return new POJONode(this);
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeRawValue(text);
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
        throws IOException {
        serialize(gen, serializers);
    }
}
