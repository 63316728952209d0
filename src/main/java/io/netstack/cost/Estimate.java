package io.netstack.cost;

import java.math.BigDecimal;
import java.util.List;

/**
 * A monthly estimate (or a change of one: items may be negative).
 *
 * @param usage the usage-dependent charges of the types involved, named, not priced
 */
public record Estimate(String currency, String region, PriceTable prices, List<CostItem> items, List<String> usage) {
    public BigDecimal monthly() {
        return items.stream().map(CostItem::monthly).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
