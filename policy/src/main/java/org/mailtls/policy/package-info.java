/**
 * The MailTLS policy engine: pure decisions about TLS connections for mail (RFC 8314, RFC 7817),
 * with no JSSE provider classes.
 *
 * <p>Everything here is an immutable value or a pure function over values, so the provider module
 * can consult it from any thread and tests can drive it without a handshake.
 */
@NullMarked
package org.mailtls.policy;

import org.jspecify.annotations.NullMarked;
