package dev.shapeproof.io;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Collects what a read converted, and words it as {@link LoadedState#notes()}. */
final class Conversions {
    private static final int KEYS_SHOWN = 10;

    private final Map<StoredType, List<String>> convertedKeys = new EnumMap<>(StoredType.class);
    private final List<String> valueNotes = new ArrayList<>();

    void converted(StoredType from, String key) {
        convertedKeys.computeIfAbsent(from, type -> new ArrayList<>()).add(key);
    }

    void overflowed(String key, long count) {
        valueNotes.add(key + ": " + count + " finite float64 value(s) beyond float32's range became infinity");
    }

    void underflowed(String key, long count) {
        valueNotes.add(key + ": " + count + " non-zero float64 value(s) below float32's range became zero");
    }

    List<String> notes() {
        List<String> notes = new ArrayList<>();
        convertedKeys.forEach((type, keys) -> {
            String how = type == StoredType.FLOAT64 ? "rounded to nearest" : "exact";
            StringBuilder note = new StringBuilder()
                    .append("converted ").append(type.numpyName).append(" to float32 (").append(how).append(") for ")
                    .append(keys.size()).append(keys.size() == 1 ? " tensor: " : " tensors: ");
            note.append(String.join(", ", keys.subList(0, Math.min(KEYS_SHOWN, keys.size()))));
            if (keys.size() > KEYS_SHOWN) {
                note.append(", ... and ").append(keys.size() - KEYS_SHOWN).append(" more");
            }
            notes.add(note.toString());
        });
        notes.addAll(valueNotes);
        return notes;
    }
}
