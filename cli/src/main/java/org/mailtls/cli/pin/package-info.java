/**
 * {@code mailtls pin list|add|remove}: per-account certificate pins (RFC 8314 §5.4) kept in a
 * {@code FilePinStore}, and the client-side connection steps (plain socket, STARTTLS dialogue,
 * MailTLS layered over it) that {@code pin add} and {@code mailtls demo} share.
 */
@NullMarked
package org.mailtls.cli.pin;

import org.jspecify.annotations.NullMarked;
