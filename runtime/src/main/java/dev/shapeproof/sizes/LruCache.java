package dev.shapeproof.sizes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What a free-size model computes once per size (its shapes, its summary), kept for the {@link #capacity} sizes used
 * most recently: a size seen before costs a lookup, and a server fed every size there is holds a bounded amount.
 * Thread-safe.
 */
public final class LruCache<K, V> {
    /** Sizes a model keeps per cache unless told otherwise: one entry is a few hundred bytes per layer. */
    public static final int DEFAULT_CAPACITY = 64;

    private final int capacity;
    private final Map<K, V> entries;

    public LruCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a cache holds at least one entry: " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > LruCache.this.capacity;
            }
        };
    }

    /** The value for {@code key}, computed once while it stays among the most recently used. */
    public V get(K key, Function<K, V> compute) {
        synchronized (entries) {
            V value = entries.get(key);
            if (value != null) {
                return value;
            }
        }
        V value = compute.apply(key);
        synchronized (entries) {
            V raced = entries.putIfAbsent(key, value);
            return raced != null ? raced : value;
        }
    }

    public int capacity() {
        return capacity;
    }

    /** How many entries it holds now. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
