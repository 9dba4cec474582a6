/** Proof of what a register answered: signed digests of each exchange (issue 17, H2). */
package uk.wycps.connector.proof;
