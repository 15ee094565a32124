package dev.shapeproof.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A weight file that cannot be read, or whose tensors do not fit the model.
 *
 * <p>The message always starts with the file, then names the tensor key (and, in an {@code .npz}, the zip entry)
 * where there is one, then says what is wrong: {@code /w/net.npz: entry 'conv1.weight.npy': shape (10, 1, 5, 5) of
 * float32 needs 1000 data bytes, the entry holds 996 (truncated?)}. A failed {@link StateDictCheck} lists every
 * problem, one per line, and {@link #problems()} returns them as a list.
 */
public final class WeightFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String key;
    private final List<String> problems;

    private WeightFileException(Path file, String key, String message, List<String> problems, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.key = key;
        this.problems = List.copyOf(problems);
    }

    /** A problem with the file as a whole (not a zip, header too long...). */
    static WeightFileException of(Path file, String problem) {
        return of(file, problem, null);
    }

    static WeightFileException of(Path file, String problem, Throwable cause) {
        return new WeightFileException(file, null, file + ": " + problem, List.of(problem), cause);
    }

    /** A problem with one tensor: {@code where} says how the file names it ({@code key 'conv1.weight'}). */
    static WeightFileException at(Path file, String key, String where, String problem) {
        return at(file, key, where, problem, null);
    }

    static WeightFileException at(Path file, String key, String where, String problem, Throwable cause) {
        return new WeightFileException(file, key, file + ": " + where + ": " + problem, List.of(problem), cause);
    }

    /** Several problems found at once, each on its own line under {@code summary}. */
    static WeightFileException listing(Path file, String summary, List<String> problems) {
        StringBuilder message = new StringBuilder()
                .append(file == null ? "(state without a file)" : file.toString()).append(": ").append(summary);
        for (String problem : problems) {
            message.append(System.lineSeparator()).append("  ").append(problem);
        }
        return new WeightFileException(file, null, message.toString(), problems, null);
    }

    /** The weight file; {@code null} only where a caller's {@link LoadedState} had none. */
    public Path file() {
        return file;
    }

    /** The tensor key the problem is about, or {@code null} for a problem of the whole file. */
    public String key() {
        return key;
    }

    /** The problems without the file name: one for a read error, every one for a failed check. */
    public List<String> problems() {
        return problems;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + ": " + Objects.toString(getMessage());
    }
}
