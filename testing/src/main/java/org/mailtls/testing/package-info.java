/**
 * Test fixtures for MailTLS: an in-memory test PKI and an in-memory TLS connection.
 *
 * <p>{@link org.mailtls.testing.HeldCertificate} mints X.509 certificates with BouncyCastle,
 * including deliberately hostile ones (unvalidated dNSNames, odd-length iPAddresses, malformed
 * otherNames, raw SAN bytes), so policy code can be tested against exactly the inputs it must
 * reject. {@link org.mailtls.testing.TestPki} bundles the usual root → intermediate → leaf
 * shape with in-memory PKCS12 key and trust stores. {@link org.mailtls.testing.SslEnginePair}
 * runs real SunJSSE or BCJSSE handshakes between two {@link javax.net.ssl.SSLEngine}s without
 * sockets.
 *
 * <p>Nothing here reads system properties, registers security providers globally or touches the
 * file system: time comes from an injected {@link java.time.Clock} and randomness from an
 * injected {@link java.security.SecureRandom}, so tests stay deterministic where they need to be.
 */
package org.mailtls.testing;
