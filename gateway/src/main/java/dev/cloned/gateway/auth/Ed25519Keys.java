package dev.cloned.gateway.auth;

import dev.cloned.error.ClonedException;
import dev.cloned.error.ErrorCode;
import dev.cloned.rules.json.CanonicalJson;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Ed25519 public keys as devices present them (SPKI DER or the raw 32 bytes, base64) and signature checks. */
public final class Ed25519Keys {
    // DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it.
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519Keys() {
    }

    /** Normalizes a base64 key (SPKI or raw) to base64 SPKI; rejects anything that is not an Ed25519 key. */
    public static String normalize(String base64Key) {
        byte[] der = decode(base64Key, "public_key");
        if (der.length == 32) {
            byte[] spki = new byte[SPKI_PREFIX.length + 32];
            System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
            System.arraycopy(der, 0, spki, SPKI_PREFIX.length, 32);
            der = spki;
        }
        parse(der);
        return Base64.getEncoder().encodeToString(der);
    }

    /** Whether {@code signatureB64} is the key's Ed25519 signature over the UTF-8 bytes of {@code message}. */
    public static boolean verify(String spkiB64, String message, String signatureB64) {
        try {
            byte[] sig = Base64.getDecoder().decode(signatureB64);
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(parse(Base64.getDecoder().decode(spkiB64)));
            v.update(message.getBytes(StandardCharsets.UTF_8));
            return v.verify(sig);
        } catch (IllegalArgumentException | GeneralSecurityException | ClonedException e) {
            return false;
        }
    }

    /** First 16 hex digits of the SHA-256 of the SPKI bytes. */
    public static String fingerprint(String spkiB64) {
        return CanonicalJson.sha256(Base64.getDecoder().decode(spkiB64)).substring(0, 16);
    }

    private static PublicKey parse(byte[] der) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, "public_key is not an Ed25519 key",
                "send base64 of the raw 32-byte key or of its X.509 SubjectPublicKeyInfo");
        }
    }

    private static byte[] decode(String b64, String field) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new ClonedException(ErrorCode.INVALID_INPUT, field + " is not base64");
        }
    }
}
