/**
 * Monthly cost of the hourly-billed network objects of a stack, from a shipped list-price table
 * ({@code prices.json} beside this package, per region, with its date and source; {@code --prices
 * FILE} replaces it). Works on stack blocks and plans only: no AWS call, no AWS SDK.
 *
 * <p>A month is the table's {@code hoursPerMonth} (730, AWS's own convention on its pricing pages).
 * Per-GB charges depend on traffic netstack cannot know: they are named, never guessed.
 */
package io.netstack.cost;
