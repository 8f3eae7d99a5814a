package dev.gpush.kernel.jupyter;

import java.util.List;
import java.util.Map;

/**
 * One Jupyter message: the routing identities that precede the {@code <IDS|MSG>} delimiter, the four JSON dicts, and
 * any binary buffers after them. A reply carries its request's identities, so ROUTER sockets send it back to the
 * client that asked.
 */
record Message(List<byte[]> identities, Map<String, Object> header, Map<String, Object> parentHeader,
               Map<String, Object> metadata, Map<String, Object> content, List<byte[]> buffers) {

    Message {
        identities = List.copyOf(identities);
        buffers = List.copyOf(buffers);
    }

    String type() {
        return header.get("msg_type") instanceof String type ? type : "";
    }

    String id() {
        return header.get("msg_id") instanceof String id ? id : "";
    }

    String string(String key, String otherwise) {
        return content.get(key) instanceof String value ? value : otherwise;
    }

    boolean bool(String key, boolean otherwise) {
        return content.get(key) instanceof Boolean value ? value : otherwise;
    }

    /** An integer field; JSON numbers arrive as Long or, with a fraction, as Double. */
    Long integer(String key) {
        return switch (content.get(key)) {
            case Long value -> value;
            case Double value -> value.longValue();
            case null, default -> null;
        };
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String key) {
        return content.get(key) instanceof Map<?, ?> value ? (Map<String, Object>) value : Map.of();
    }
}
