/**
 * {@code mailtls probe}: connect to one mail server with the MailTLS client policy and report what
 * it negotiates, what it presents, and whether it meets RFC 8314 / RFC 7817.
 *
 * <p>The pieces: {@link org.mailtls.cli.probe.ProbeRequest} (the validated command line), {@link
 * org.mailtls.cli.probe.Prober} (runs every connection), {@link org.mailtls.cli.probe.PolicyHandshake}
 * (the one handshake through MailTLS), {@link org.mailtls.cli.probe.LegacyClient} (deliberately
 * permissive BouncyCastle client for the "does it also accept ..." questions), {@link
 * org.mailtls.cli.probe.MailDialogue} (IMAP / POP3 / SMTP STARTTLS), and the two renderings
 * {@link org.mailtls.cli.probe.TableReport} and {@link org.mailtls.cli.probe.JsonReport}.
 */
@NullMarked
package org.mailtls.cli.probe;

import org.jspecify.annotations.NullMarked;
