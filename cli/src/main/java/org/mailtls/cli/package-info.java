/** The {@code mailtls} command: demo now; probe and pin arrive with their issues. */
@NullMarked
package org.mailtls.cli;

import org.jspecify.annotations.NullMarked;
