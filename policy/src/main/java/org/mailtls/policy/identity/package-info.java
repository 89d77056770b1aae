/**
 * Server identity for mail: reference identities, presented identifiers and the matcher.
 *
 * <p>The rules are RFC 7817 §3 (which names a mail client may expect, SRV-IDs for the mail
 * services, no URI-IDs) run through RFC 9525 §6 (the stricter matching algorithm: no CN-ID, a
 * wildcard only as the whole left-most label, IP-ID by octet equality). The flow is:
 *
 * <ol>
 *   <li>{@link org.mailtls.policy.identity.ReferenceIdentities} is built from what the account
 *       knows before any certificate is seen (SI-01): the host connected to and where that name
 *       came from, the email domain, the mail service.
 *   <li>{@link org.mailtls.policy.identity.PresentedIdentifiers} is parsed once from the leaf
 *       certificate's raw subjectAltName bytes; invalid entries are kept aside with a reason.
 *   <li>{@link org.mailtls.policy.identity.IdentityMatcher} compares the two under an {@link
 *       org.mailtls.policy.identity.IdentityPolicy} and returns an {@link
 *       org.mailtls.policy.identity.IdentityMatch} value; it never throws for a hostile
 *       certificate.
 * </ol>
 */
@NullMarked
package org.mailtls.policy.identity;

import org.jspecify.annotations.NullMarked;
