/** The {@code mailtls} command: {@code demo}, {@code pin}, {@code probe}. */
@NullMarked
package org.mailtls.cli;

import org.jspecify.annotations.NullMarked;
