package dev.gpush.kernel.jupyter;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies Jupyter messages: the lowercase hex HMAC of the header, parent header, metadata and content
 * frames, as sent, keyed with the connection file's {@code key}.
 *
 * <p>Rules:
 * <ul>
 *   <li>Only {@code hmac-sha256} is accepted; any other scheme is refused when the kernel starts.
 *   <li>An empty key turns signing off, as the protocol says: messages carry an empty signature and every message
 *       is accepted.
 *   <li>Signatures are compared in constant time.
 * </ul>
 */
final class Signer {

    static final String SCHEME = "hmac-sha256";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    Signer(String scheme, String key) {
        if (!SCHEME.equals(scheme)) {
            throw new IllegalArgumentException("unsupported signature_scheme " + scheme + "; gpush supports " + SCHEME);
        }
        this.key = key.isEmpty() ? null : new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The signature of {@code parts}; empty when signing is off. */
    String sign(List<byte[]> parts) {
        if (key == null) {
            return "";
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM); // a Mac is not thread-safe; making one costs microseconds
            mac.init(key);
            parts.forEach(mac::update);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
        }
    }

    boolean verify(String signature, List<byte[]> parts) {
        return key == null || MessageDigest.isEqual(
                sign(parts).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }
}
