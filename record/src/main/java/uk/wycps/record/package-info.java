/**
 * The canonical child record (M1-M8) that every register dialect maps to, its field names for
 * the policy, and field projection (A5).
 */
package uk.wycps.record;
