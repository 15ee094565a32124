package dev.shapeproof.io;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyMapTest {

    @Test
    void replacesTheLongestMatchingPrefix() {
        KeyMap map = KeyMap.prefix("features.1.", "bn1.").and("features.10.", "conv5.").and("features.", "f.");

        assertThat(map.apply("features.1.weight")).isEqualTo("bn1.weight");
        assertThat(map.apply("features.10.weight")).isEqualTo("conv5.weight");
        assertThat(map.apply("features.2.bias")).isEqualTo("f.2.bias");
        assertThat(map.apply("classifier.weight")).isEqualTo("classifier.weight");
    }

    @Test
    void stripsAndAddsPrefixesAndRenamesWholeKeys() {
        assertThat(KeyMap.prefix("module.", "").apply("module.conv1.weight")).isEqualTo("conv1.weight");
        assertThat(KeyMap.prefix("", "backbone.").apply("conv1.weight")).isEqualTo("backbone.conv1.weight");
        assertThat(KeyMap.prefix("fc.weight", "fc1.weight").apply("fc.weight")).isEqualTo("fc1.weight");
        assertThat(KeyMap.none().apply("a.b")).isEqualTo("a.b");
    }

    @Test
    void aMapReadsTheSameWayInOrder() {
        Map<String, String> renames = new LinkedHashMap<>();
        renames.put("features.0.", "conv1.");
        renames.put("classifier.", "fc1.");

        KeyMap map = KeyMap.of(renames);

        assertThat(map).isEqualTo(KeyMap.prefix("features.0.", "conv1.").and("classifier.", "fc1."));
        assertThat(map.asMap()).containsExactlyEntriesIn(renames).inOrder();
        assertThat(map.apply("classifier.bias")).isEqualTo("fc1.bias");
    }

    @Test
    void aPrefixRenamedTwiceIsAMistake() {
        assertThrows(IllegalArgumentException.class, () -> KeyMap.prefix("a.", "b.").and("a.", "c."));
    }
}
