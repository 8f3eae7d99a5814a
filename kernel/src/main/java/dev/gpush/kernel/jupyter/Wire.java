package dev.gpush.kernel.jupyter;

import dev.gpush.io.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * The Jupyter wire format: a message as ZeroMQ frames and back.
 *
 * <pre>
 *   identity ... | &lt;IDS|MSG&gt; | signature | header | parent_header | metadata | content | buffer ...
 * </pre>
 *
 * <p>Rules:
 * <ul>
 *   <li>The signature covers the four JSON frames exactly as received, never as re-encoded.
 *   <li>A message is refused when the delimiter or a JSON frame is missing, the signature is wrong, a JSON frame is
 *       not a JSON object, or its signature was seen before (a replay), as jupyter_client's Session refuses it.
 *   <li>The replay guard remembers the last {@value #REMEMBERED} signatures; it is shared by all channels.
 * </ul>
 */
final class Wire {

    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final int REMEMBERED = 1 << 16;

    private final Signer signer;
    private final SequencedSet<String> seen = new LinkedHashSet<>();

    Wire(Signer signer) {
        this.signer = signer;
    }

    List<byte[]> encode(Message message) {
        var dicts = List.of(json(message.header()), json(message.parentHeader()), json(message.metadata()),
                json(message.content()));
        var frames = new ArrayList<byte[]>(message.identities());
        frames.add(DELIMITER);
        frames.add(signer.sign(dicts).getBytes(StandardCharsets.US_ASCII));
        frames.addAll(dicts);
        frames.addAll(message.buffers());
        return frames;
    }

    Message decode(List<byte[]> frames) throws BadMessageException {
        int delimiter = 0;
        while (delimiter < frames.size() && !Arrays.equals(frames.get(delimiter), DELIMITER)) {
            delimiter++;
        }
        if (delimiter == frames.size()) {
            throw new BadMessageException("no <IDS|MSG> delimiter");
        }
        if (frames.size() < delimiter + 6) {
            throw new BadMessageException("expected a signature and 4 JSON frames after <IDS|MSG>, got "
                    + (frames.size() - delimiter - 1) + " frames");
        }
        String signature = new String(frames.get(delimiter + 1), StandardCharsets.US_ASCII);
        var dicts = frames.subList(delimiter + 2, delimiter + 6);
        if (!signer.verify(signature, dicts)) {
            throw new BadMessageException("bad signature");
        }
        if (!signature.isEmpty() && !firstSighting(signature)) {
            throw new BadMessageException("duplicate signature (a replayed message)");
        }
        return new Message(frames.subList(0, delimiter), dict(dicts.get(0), "header"),
                dict(dicts.get(1), "parent_header"), dict(dicts.get(2), "metadata"), dict(dicts.get(3), "content"),
                frames.subList(delimiter + 6, frames.size()));
    }

    private synchronized boolean firstSighting(String signature) {
        if (!seen.add(signature)) {
            return false;
        }
        if (seen.size() > REMEMBERED) {
            seen.removeFirst();
        }
        return true;
    }

    private static byte[] json(Map<String, Object> dict) {
        return Json.write(dict).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dict(byte[] frame, String what) throws BadMessageException {
        try {
            if (Json.parse(new String(frame, StandardCharsets.UTF_8)) instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw new BadMessageException(what + " is not a JSON object");
        } catch (IllegalArgumentException e) {
            throw new BadMessageException(what + " is not JSON: " + e.getMessage());
        }
    }
}
