//! Outbound HTTP(S): the one place clients are built, so payments, the MAAS client and the SDK
//! speak TLS the same way — rustls with the ring provider, certificates checked against the
//! platform's trust store (`rustls-platform-verifier`).

use std::sync::Once;

/// A client builder whose TLS is ready. Callers add their timeouts and build.
pub fn client_builder() -> reqwest::ClientBuilder {
    static PROVIDER: Once = Once::new();
    PROVIDER.call_once(|| {
        // Another part of the process may have installed a provider first; either serves.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::sync::Arc;

    // A self-signed certificate for 127.0.0.1, made for these tests only (its key guards nothing).
    const CERT: &[u8] = include_bytes!("../tests/fixtures/localhost-cert.pem");
    const KEY: &[u8] = include_bytes!("../tests/fixtures/localhost-key.pem");

    /// A one-request HTTPS server on 127.0.0.1 presenting the test certificate.
    fn tls_server_once() -> (String, std::thread::JoinHandle<()>) {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let certs = vec![CertificateDer::from_pem_slice(CERT).unwrap()];
        let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("https://{}/", listener.local_addr().unwrap());
        let served = std::thread::spawn(move || {
            let (socket, _) = listener.accept().unwrap();
            let connection = rustls::ServerConnection::new(Arc::new(config)).unwrap();
            let mut tls = rustls::StreamOwned::new(connection, socket);
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            // A refused handshake ends the stream here; that is the refusal test's point.
            while !request.ends_with(b"\r\n\r\n") {
                match tls.read(&mut byte) {
                    Ok(1) => request.push(byte[0]),
                    _ => return,
                }
            }
            let _ = tls.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
            let _ = tls.flush();
        });
        (url, served)
    }

    #[tokio::test]
    async fn a_trusted_certificate_completes_the_handshake_and_an_unknown_one_is_refused() {
        let (url, served) = tls_server_once();
        let trusting = client_builder()
            .tls_certs_only([reqwest::Certificate::from_pem(CERT).unwrap()])
            .build()
            .unwrap();
        let answer = trusting.get(&url).send().await.unwrap();
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.text().await.unwrap(), "ok");
        served.join().unwrap();

        // The platform's trust store does not know the test certificate: refused.
        let (url, served) = tls_server_once();
        let refused = client_builder().build().unwrap().get(&url).send().await;
        let err = refused.expect_err("an unknown issuer must be refused");
        assert!(err.is_connect(), "{err:?}");
        served.join().unwrap();
    }
}
