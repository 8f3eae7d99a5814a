package dev.gpush.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire format: frames in Jupyter's order, HMAC-SHA256 signatures, and what is refused. */
class WireTest {

    static final String KEY = "a0436f6c-1916-498b-8eb9-e81ab9368e84";

    final Wire wire = new Wire(new Signer(Signer.SCHEME, KEY));
    final Session session = new Session();

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    Message request(String type, Map<String, Object> content) {
        var header = Map.<String, Object>of("msg_id", "m-1", "session", "s-1", "username", "u", "date",
                "2025-01-01T00:00:00.000000Z", "msg_type", type, "version", "5.3");
        return new Message(List.of(bytes("client-id")), header, Map.of(), Map.of(), content, List.of());
    }

    @Test
    void signerMatchesRfc4231AndHashesThePartsAsOneText() {
        // RFC 4231 test case 2: HMAC-SHA256 with key "Jefe"
        var signer = new Signer("hmac-sha256", "Jefe");
        String expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assertEquals(expected, signer.sign(List.of(bytes("what do ya want for nothing?"))));
        assertEquals(expected, signer.sign(List.of(bytes("what do ya "), bytes("want for "), bytes("nothing?"))));
        assertTrue(signer.verify(expected, List.of(bytes("what do ya want for nothing?"))));
        assertFalse(signer.verify(expected.replace('5', '6'), List.of(bytes("what do ya want for nothing?"))));
    }

    @Test
    void framesAreIdentitiesDelimiterSignatureThenTheFourDictsAndBuffers() {
        var message = new Message(List.of(bytes("id-a"), bytes("id-b")), Map.of("msg_type", "status"),
                Map.of("msg_id", "p"), Map.of(), Map.of("execution_state", "idle"), List.of(bytes("buffer")));
        var frames = wire.encode(message);

        assertEquals(List.of("id-a", "id-b", "<IDS|MSG>"), frames.subList(0, 3).stream().map(WireTest::text).toList());
        assertEquals("{\"msg_type\":\"status\"}", text(frames.get(4)));
        assertEquals("{\"msg_id\":\"p\"}", text(frames.get(5)));
        assertEquals("{}", text(frames.get(6)));
        assertEquals("{\"execution_state\":\"idle\"}", text(frames.get(7)));
        assertEquals("buffer", text(frames.get(8)));
        assertEquals(new Signer(Signer.SCHEME, KEY).sign(frames.subList(4, 8)), text(frames.get(3)));
    }

    @Test
    void aMessageSurvivesTheRoundTrip() throws BadMessageException {
        var sent = session.reply(request("execute_request", Map.of("code", "1 + 1")), "execute_reply",
                Map.of("status", "ok", "execution_count", 3L, "user_expressions", Map.of()));
        var received = wire.decode(wire.encode(sent));

        assertEquals(1, received.identities().size());
        assertArrayEquals(bytes("client-id"), received.identities().getFirst());
        assertEquals("execute_reply", received.type());
        assertEquals("m-1", received.parentHeader().get("msg_id"), "the reply names its request as parent");
        assertEquals(sent.content(), received.content());
        assertEquals(Session.PROTOCOL_VERSION, received.header().get("version"));
        String date = (String) received.header().get("date");
        assertTrue(date.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), date);
    }

    @Test
    void aTamperedMessageIsRefused() {
        var frames = new ArrayList<>(wire.encode(request("execute_request", Map.of("code", "1"))));
        frames.set(frames.size() - 1, bytes("{\"code\":\"System.exit(1)\"}"));

        var refused = assertThrows(BadMessageException.class, () -> wire.decode(frames));
        assertEquals("bad signature", refused.getMessage());
    }

    @Test
    void aMessageSignedWithAnotherKeyIsRefused() {
        var other = new Wire(new Signer(Signer.SCHEME, "another key"));
        var frames = other.encode(request("kernel_info_request", Map.of()));

        assertEquals("bad signature", assertThrows(BadMessageException.class, () -> wire.decode(frames)).getMessage());
    }

    @Test
    void aReplayedMessageIsRefused() throws BadMessageException {
        var frames = wire.encode(request("kernel_info_request", Map.of()));
        wire.decode(frames);

        var refused = assertThrows(BadMessageException.class, () -> wire.decode(frames));
        assertTrue(refused.getMessage().startsWith("duplicate signature"), refused.getMessage());
    }

    @Test
    void badFramingIsRefusedWithTheReason() {
        var noDelimiter = List.of(bytes("id"), bytes("sig"), bytes("{}"), bytes("{}"), bytes("{}"), bytes("{}"));
        assertEquals("no <IDS|MSG> delimiter",
                assertThrows(BadMessageException.class, () -> wire.decode(noDelimiter)).getMessage());

        var short_ = List.of(Wire.DELIMITER, bytes("sig"), bytes("{}"));
        assertTrue(assertThrows(BadMessageException.class, () -> wire.decode(short_)).getMessage()
                .contains("4 JSON frames"));
    }

    @Test
    void framesThatAreNotJsonObjectsAreRefused() {
        var unsigned = new Wire(new Signer(Signer.SCHEME, ""));
        var notJson = List.of(Wire.DELIMITER, bytes(""), bytes("{"), bytes("{}"), bytes("{}"), bytes("{}"));
        assertTrue(assertThrows(BadMessageException.class, () -> unsigned.decode(notJson)).getMessage()
                .startsWith("header is not JSON"));

        var array = List.of(Wire.DELIMITER, bytes(""), bytes("{}"), bytes("{}"), bytes("{}"), bytes("[1]"));
        assertEquals("content is not a JSON object",
                assertThrows(BadMessageException.class, () -> unsigned.decode(array)).getMessage());
    }

    @Test
    void anEmptyKeyTurnsSigningOff() throws BadMessageException {
        var unsigned = new Wire(new Signer(Signer.SCHEME, ""));
        var frames = unsigned.encode(request("kernel_info_request", Map.of()));

        assertEquals("", text(frames.get(2)));
        assertEquals("kernel_info_request", unsigned.decode(frames).type());
        assertEquals("kernel_info_request", unsigned.decode(frames).type(), "no signature, so no replay check");
    }

    @Test
    void onlyHmacSha256IsAccepted() {
        var refused = assertThrows(IllegalArgumentException.class, () -> new Signer("hmac-md5", KEY));
        assertEquals("unsupported signature_scheme hmac-md5; gpush supports hmac-sha256", refused.getMessage());
    }
}
