/**
 * The embedded loopback servers of {@code mailtls demo} (a compliant IMAPS server, a wrong-name
 * one, a legacy TLS 1.1-only one, a STARTTLS-only IMAP one) and the client run against them.
 */
@NullMarked
package org.mailtls.cli.demo;

import org.jspecify.annotations.NullMarked;
