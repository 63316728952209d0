/**
 * The core API (Flyway's API-vs-CLI split): everything the CLI does, callable from Java.
 * The CLI parses options and renders; this package loads, validates, plans and applies.
 */
package io.netstack.api;
