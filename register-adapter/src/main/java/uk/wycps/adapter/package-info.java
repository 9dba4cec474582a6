/**
 * The register adapter an authority runs beside its own register (issue 17): one connector
 * behind the canonical register protocol, mutual TLS, a release ceiling, signed answers.
 */
package uk.wycps.adapter;
