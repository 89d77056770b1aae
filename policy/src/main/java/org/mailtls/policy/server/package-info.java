/**
 * Server-side certificate policy for mail servers (RFC 8314 §4.2, §4.4).
 *
 * <ul>
 *   <li>{@link org.mailtls.policy.server.ClientCertificateMapping}: how a client certificate becomes
 *       the authorization identity of SASL EXTERNAL (R8314-S-16). A server may request client
 *       certificates only when one mapping is configured, and the mapping is always chosen
 *       explicitly: there is no default that guesses an identity from whatever the certificate
 *       carries. The result is a {@link org.mailtls.policy.server.MappingResult} value; hostile
 *       certificates yield an unmapped result with the reason, never an exception.
 *   <li>{@link org.mailtls.policy.server.ServerCertificateCheck}: the start-up check that a server
 *       keeps valid certificates (R8314-S-18, R8314-S-19): dates, chain completeness, names, floors,
 *       reported as {@link org.mailtls.policy.server.CertificateFinding} values.
 * </ul>
 */
@NullMarked
package org.mailtls.policy.server;

import org.jspecify.annotations.NullMarked;
