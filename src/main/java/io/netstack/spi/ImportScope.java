package io.netstack.spi;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * What {@code netstack import} reads ({@link ResourceType#importable}), owned or not. Two passes:
 * first every object inside {@link #vpcIds} (subnets, tables, gateways, groups…); then, with
 * {@link #byReference()}, the objects outside any VPC that those objects name by AWS id
 * ({@link #referenced}: a NAT gateway's Elastic IP, an attachment's transit gateway). A type answers
 * the pass its objects belong to and returns nothing in the other.
 *
 * <p>{@link #shared} lets two types share one read: the vpc type takes its default security group,
 * main route table and default NACL from the same DescribeSecurityGroups / DescribeRouteTables /
 * DescribeNetworkAcls (filtered by vpc-id) that the security-group, route-table and network-acl
 * types import from, so an import makes one call per type (plus pages).
 */
public final class ImportScope {
    private final Set<String> vpcIds;
    private final Set<String> referenced;
    private final Map<String, FutureTask<Object>> shared;
    private final Set<String> accounts;

    private ImportScope(Set<String> vpcIds, Set<String> referenced, Map<String, FutureTask<Object>> shared) {
        this.vpcIds = Set.copyOf(vpcIds);
        this.referenced = referenced == null ? null : Set.copyOf(referenced);
        this.shared = shared;
        this.accounts = accounts(shared);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> accounts(Map<String, FutureTask<Object>> shared) {
        FutureTask<Object> mine = new FutureTask<>(() -> java.util.concurrent.ConcurrentHashMap.newKeySet());
        FutureTask<Object> t = shared.putIfAbsent("netstack:accounts", mine);
        if (t == null) {
            mine.run();
            t = mine;
        }
        try {
            return (Set<String>) t.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The AWS accounts that own the imported VPCs (the vpc type notes them in the first pass): an
     * object of another account named by the VPCs' objects (a shared transit gateway) stays
     * outside the stack, as a literal id.
     */
    public Set<String> accounts() {
        return accounts;
    }

    /** The first pass: the objects in these VPCs. */
    public static ImportScope vpcs(Set<String> vpcIds) {
        return new ImportScope(vpcIds, null, new ConcurrentHashMap<>());
    }

    /** The second pass: objects outside the VPCs named by these AWS ids (the reads of the first are shared still). */
    public ImportScope byReference(Set<String> awsIds) {
        return new ImportScope(vpcIds, awsIds, shared);
    }

    public Set<String> vpcIds() {
        return vpcIds;
    }

    /** True in the second pass. */
    public boolean byReference() {
        return referenced != null;
    }

    /** The AWS ids the first pass's objects name (second pass only; empty in the first). */
    public Set<String> referenced() {
        return referenced == null ? Set.of() : referenced;
    }

    /** The referenced ids that start with {@code prefix} ({@code eipalloc-}, {@code tgw-}). */
    public Set<String> referenced(String prefix) {
        Set<String> out = new java.util.TreeSet<>();
        for (String id : referenced()) if (id.startsWith(prefix)) out.add(id);
        return out;
    }

    /** The value of {@code read}, computed once per key for the whole import, whichever type asks first. */
    @SuppressWarnings("unchecked")
    public <T> T shared(String key, Callable<T> read) {
        FutureTask<Object> mine = new FutureTask<>(() -> read.call());
        FutureTask<Object> task = shared.putIfAbsent(key, mine);
        if (task == null) {
            task = mine;
            task.run();
        }
        try {
            return (T) task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + key, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }
}
