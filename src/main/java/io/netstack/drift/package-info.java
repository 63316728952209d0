/**
 * Drift: the plan computed without acting, sorted into three classes (modified, deleted,
 * unmanaged), one-shot or on a schedule. Imports engine, stack and spi; never the AWS SDK.
 */
package io.netstack.drift;
