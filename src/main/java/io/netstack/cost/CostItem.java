package io.netstack.cost;

import java.math.BigDecimal;

/**
 * One hourly-billed charge of one resource.
 *
 * @param monthly USD (the table's currency) per month, rounded to cents
 * @param basis   how it is computed, e.g. "2 AZs × 730 h × $0.011/h (interface endpoint)"
 */
public record CostItem(String id, String type, BigDecimal monthly, String basis) {}
