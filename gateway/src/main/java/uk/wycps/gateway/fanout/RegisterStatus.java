package uk.wycps.gateway.fanout;

/** How a register answered an enquiry, as API.md names it (F5). Only {@link #OK} was checked. */
public enum RegisterStatus {
    OK, TIMEOUT, UNAVAILABLE, ERROR, CIRCUIT_OPEN, REJECTED, WITHHELD
}
