package uk.wycps.adapter;

import io.vertx.core.http.HttpConnection;
import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The adapter's client CA as a PKIX trust manager, to ask of a connection already open whether
 * its client certificate would still be accepted (chain, validity, client-auth key usage), as a
 * new handshake would: a TLS handshake checks once, a rotation or revocation has to check the
 * connections it finds open.
 */
final class ClientTrust {

    private final X509TrustManager manager;

    private ClientTrust(X509TrustManager manager) {
        this.manager = manager;
    }

    /** Every certificate in {@code pem} (one or several CAs) as a trust anchor. */
    static ClientTrust of(byte[] pem) {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                anchors.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("no certificate in the client CA file");
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(anchors);
            for (TrustManager m : f.getTrustManagers()) {
                if (m instanceof X509TrustManager x) {
                    return new ClientTrust(x);
                }
            }
            throw new IllegalStateException("no X.509 trust manager");
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("the client CA file cannot be read as PEM certificates", e);
        }
    }

    /** Whether the connection's client certificate chain is accepted now; false without one. */
    boolean accepts(HttpConnection connection) {
        try {
            List<Certificate> peer = connection.peerCertificates();
            X509Certificate[] chain = peer.stream().map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            if (chain.length == 0) {
                return false;
            }
            // The authentication type names the client's key algorithm, as JSSE passes it for a client.
            manager.checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
