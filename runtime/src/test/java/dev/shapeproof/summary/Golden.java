package dev.shapeproof.summary;

import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code runtime/src/test/resources/summary/}. To regenerate them after an intended format change,
 * run {@code mvn -o -pl runtime test -Dtest='dev.shapeproof.summary.*Test' -Dshapeproof.updateGolden=true}, then
 * review the diff: the tests then write the files instead of comparing (and pass).
 */
final class Golden {
    static final String UPDATE_PROPERTY = "shapeproof.updateGolden";

    private Golden() {}

    static void assertMatches(String file, String actual) {
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Path path = Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "summary", file);
            try {
                Files.createDirectories(path.getParent());
                Files.writeString(path, actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        String expected;
        try (InputStream in = Golden.class.getResourceAsStream("/summary/" + file)) {
            if (in == null) {
                fail("missing golden file summary/" + file + "; create it with -D" + UPDATE_PROPERTY + "=true");
                return;
            }
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertWithMessage("summary/%s differs (regenerate with -D%s=true if the change is intended)", file,
                UPDATE_PROPERTY).that(actual).isEqualTo(expected);
    }
}
