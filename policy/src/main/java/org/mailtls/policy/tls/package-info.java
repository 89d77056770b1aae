/**
 * TLS floors for mail (requirements.md A7 and B.7): protocol versions, cipher suites, named groups,
 * signature schemes and certificate key sizes, as typed values. Strings appear only at the edge,
 * when the provider hands arrays to JSSE.
 */
@NullMarked
package org.mailtls.policy.tls;

import org.jspecify.annotations.NullMarked;
