package dev.shapeproof.processor.graph;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** A layer annotation's attributes by name, in declaration order, defaults included. */
public final class Attributes {
    private final Map<String, Attribute> byName;

    public Attributes(Collection<Attribute> attributes) {
        Map<String, Attribute> map = new LinkedHashMap<>();
        for (Attribute attribute : attributes) {
            map.put(attribute.name(), attribute);
        }
        this.byName = Map.copyOf(map);
    }

    public Attribute get(String name) {
        Attribute attribute = byName.get(name);
        if (attribute == null) {
            throw new IllegalArgumentException("no attribute " + name + " among " + byName.keySet());
        }
        return attribute;
    }

    /** Every attribute, in no particular order. */
    public java.util.Collection<Attribute> all() {
        return byName.values();
    }

    /** The attribute {@code name}, if there is one. */
    public java.util.Optional<Attribute> find(String name) {
        return java.util.Optional.ofNullable(byName.get(name));
    }
}
