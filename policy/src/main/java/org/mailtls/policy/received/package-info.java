/**
 * The Received header {@code tls} / {@code group} clause of RFC 8314 §4.3 and §7.4
 * (requirements.md B.8, R8314-S-10, R8314-S-17): a submission server records the negotiated cipher
 * suite, and optionally the key-exchange group, in the Received field it writes, because
 * {@code ESMTPS} alone says only that TLS was used, not how strong it was.
 *
 * <ul>
 *   <li>{@link org.mailtls.policy.received.ReceivedTlsClause}: the clause value, from an IANA name,
 *       a code point or a JSSE suite name; renders {@code tls TLS_AES_256_GCM_SHA384 group x25519}.
 *   <li>{@link org.mailtls.policy.received.ReceivedClauseParser}: finds the clause in a whole,
 *       possibly folded and commented Received field (RFC 5321 §4.4, RFC 5322 §3.2.2), never inside
 *       comments, literals or the date.
 *   <li>{@link org.mailtls.policy.received.ReceivedHeaders}: writes a complete folded Received field
 *       with the clause in its place.
 * </ul>
 *
 * <p>Everything here is pure text processing: no JSSE types, no I/O, no clock (the caller passes
 * the date).
 */
@NullMarked
package org.mailtls.policy.received;

import org.jspecify.annotations.NullMarked;
