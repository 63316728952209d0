package io.netstack.spi;

import java.util.Set;

/**
 * What a run needs of the objects of one type besides what {@link ResourceType#list} always gives
 * (identity, ownership, the properties every plan compares): the top-level properties the stack
 * file writes on blocks of that type, and the attributes its blocks and outputs reference on them
 * ({@code ${id.attr}}). A type whose list spends calls of their own on an optional property or
 * attribute reads it only when it is needed here (the vpc type's default security group, main
 * route table and default network ACL: issue 12). A property the file does not write is not
 * managed and never compared, so leaving it out of the read changes no plan.
 *
 * <p>{@link #ALL} where no stack file is at hand (apply read-backs, destroy, import, another
 * stack's {@code ${stack:…}} reference): everything is read.
 *
 * @param all        everything is needed
 * @param properties top-level property names written on some block of the type
 * @param attributes attribute names referenced on some object of the type
 */
public record ReadNeeds(boolean all, Set<String> properties, Set<String> attributes) {
    public static final ReadNeeds ALL = new ReadNeeds(true, Set.of(), Set.of());

    public ReadNeeds {
        properties = Set.copyOf(properties);
        attributes = Set.copyOf(attributes);
    }

    /** Whether some block of the type writes property {@code name}. */
    public boolean property(String name) {
        return all || properties.contains(name);
    }

    /** Whether the file references attribute {@code name} of some object of the type. */
    public boolean attribute(String name) {
        return all || attributes.contains(name);
    }
}
