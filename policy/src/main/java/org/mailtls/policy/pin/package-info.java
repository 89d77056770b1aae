/**
 * Per-account certificate pins (RFC 8314 §5.4, RFC 6125 §7.1, RFC 9525 §6.6): values, stores and
 * the setup-phase rule. A pin is an exception mechanism for one account's one endpoint, never a
 * source of confidentiality.
 */
@NullMarked
package org.mailtls.policy.pin;

import org.jspecify.annotations.NullMarked;
