/**
 * The sharing policy: tiers (A3), callers and their declarations (A2, P1, P2), and decisions
 * with their reasons (A4-A9, P3). A pure library: no Vert.x, no network, no clock.
 */
package uk.wycps.policy;
