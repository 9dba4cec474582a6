/**
 * The connector SPI (F3): {@link uk.wycps.connector.RegisterConnector} and its factory, the
 * search request and deadline, and {@link uk.wycps.connector.RegisterFailure}, the only way a
 * connector says a register was not checked.
 */
package uk.wycps.connector;
