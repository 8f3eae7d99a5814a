package dev.gpush.kernel.jupyter;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The kernel's side of a Jupyter session: it makes the headers of the messages the kernel sends. A reply goes to
 * the identities of its request and names the request's header as its parent; a message on IOPub has the message
 * type as its topic.
 */
final class Session {

    /** The protocol version this kernel speaks; jupyter_client 7 and 8 speak 5.3 and 5.4. */
    static final String PROTOCOL_VERSION = "5.3";

    /** ISO 8601 in UTC with microseconds, as ipykernel writes it. */
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final String id = UUID.randomUUID().toString();
    private final String username = System.getProperty("user.name", "kernel");

    Message reply(Message request, String type, Map<String, Object> content) {
        return new Message(request.identities(), header(type), request.header(), Map.of(), content, List.of());
    }

    /** A message on IOPub; {@code parent} is the request it belongs to, or null. */
    Message publication(Message parent, String type, Map<String, Object> content) {
        return new Message(List.of(type.getBytes(java.nio.charset.StandardCharsets.UTF_8)), header(type),
                parent == null ? Map.of() : parent.header(), Map.of(), content, List.of());
    }

    private Map<String, Object> header(String type) {
        var header = new LinkedHashMap<String, Object>();
        header.put("msg_id", UUID.randomUUID().toString());
        header.put("session", id);
        header.put("username", username);
        header.put("date", DATE.format(Instant.now()));
        header.put("msg_type", type);
        header.put("version", PROTOCOL_VERSION);
        return header;
    }
}
