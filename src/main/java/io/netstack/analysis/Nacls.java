package io.netstack.analysis;

import io.netstack.analysis.NetworkModel.NaclEntry;
import io.netstack.stack.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * NACL evaluation: entries in rule-number order, the first that matches decides, and the
 * implicit {@code *} rule denies the rest. An entry matches traffic whose peer lies wholly in its
 * CIDR (a narrower entry does not decide for a wider peer such as the internet).
 */
final class Nacls {
    private Nacls() {}

    /** {@code deniedBy} is the first entry that denies part of the ports, or null for the implicit {@code *} rule. */
    record Verdict(boolean allowed, NaclEntry decidedBy, NaclEntry deniedBy) {
        String describe() {
            if (allowed) return decidedBy == null ? "allowed" : "allowed by rule " + decidedBy.rule();
            return deniedBy == null ? "denied by the implicit * rule (no rule allows it)" : "denied by rule " + deniedBy.rule();
        }
    }

    /** Whether every port of {@code ports} of {@code protocol} to/from {@code peer} is allowed. */
    static Verdict evaluate(List<NaclEntry> entries, String protocol, Ports ports, Cidr peer) {
        List<Ports> open = new ArrayList<>(List.of(ports));
        NaclEntry lastAllow = null;
        for (NaclEntry e : entries) {
            if (open.isEmpty()) break;
            if (!Protocols.matches(e.protocol(), protocol) || e.cidr() == null || peer == null || !e.cidr().contains(peer)) continue;
            List<Ports> rest = new ArrayList<>();
            boolean hit = false;
            for (Ports p : open) {
                if (!e.ports().overlaps(p)) {
                    rest.add(p);
                    continue;
                }
                hit = true;
                if (p.from() < e.ports().from()) rest.add(new Ports(p.from(), e.ports().from() - 1));
                if (p.to() > e.ports().to()) rest.add(new Ports(e.ports().to() + 1, p.to()));
            }
            if (!hit) continue;
            if (!e.allow()) return new Verdict(false, e, e);
            lastAllow = e;
            open = rest;
        }
        return open.isEmpty() ? new Verdict(true, lastAllow, null) : new Verdict(false, null, null);
    }
}
