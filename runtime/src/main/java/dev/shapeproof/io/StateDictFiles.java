package dev.shapeproof.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads and writes a PyTorch {@code state_dict} as {@code .npz} or {@code .safetensors}, chosen by the file's
 * extension.
 *
 * <pre>{@code
 * # PyTorch side
 * np.savez("net.npz", **{k: v.numpy() for k, v in model.state_dict().items()})
 *
 * // Java side
 * LoadedState state = StateDictFiles.read(Path.of("net.npz"));
 * StateDictCheck.Result weights = StateDictCheck.check(expectedShapes, state, true, Map.of());
 * }</pre>
 *
 * Reading is all or nothing: a file is either read completely and validated, or a {@link WeightFileException}
 * says which file, which key and what is wrong; no partially loaded state ever escapes. Writing goes to a temporary
 * file beside the target, which is then moved over it, so a crash or a full disk never leaves a half-written file
 * under the real name.
 */
public final class StateDictFiles {
    private StateDictFiles() {}

    /** The formats, by extension. */
    private enum Format {
        NPZ(".npz"),
        SAFETENSORS(".safetensors");

        final String extension;

        Format(String extension) {
            this.extension = extension;
        }
    }

    /**
     * Reads every tensor of a {@code .npz} or {@code .safetensors} file.
     *
     * @throws WeightFileException if the extension is neither, the file cannot be read, or any part of it is
     *                             malformed, truncated, of an unsupported dtype or larger than the file can hold
     */
    public static LoadedState read(Path file) throws WeightFileException {
        Objects.requireNonNull(file, "file");
        Format format = formatOf(file);
        if (format == null) {
            throw WeightFileException.of(file, "unknown weight file extension; expected .npz or .safetensors"
                    + hintForExtension(file));
        }
        long size;
        byte[] start;
        try {
            if (Files.isDirectory(file)) {
                throw WeightFileException.of(file, "is a directory, not a weight file");
            }
            size = Files.size(file);
            try (InputStream in = Files.newInputStream(file)) {
                start = in.readNBytes(16);
            }
        } catch (NoSuchFileException e) {
            throw WeightFileException.of(file, "no such file", e);
        } catch (WeightFileException e) {
            throw e;
        } catch (IOException e) {
            throw WeightFileException.of(file, "cannot read: " + e, e);
        }
        if (size == 0) {
            throw WeightFileException.of(file, "empty file (0 bytes); expected a " + format.extension + " weight file");
        }
        return switch (format) {
            case NPZ -> {
                if (!looksLikeZip(start)) {
                    throw WeightFileException.of(file, "not a zip archive, so not an .npz (an .npz starts with "
                            + "'PK\\3\\4'; this file starts with " + hex(start) + ")"
                            + (looksLikeSafetensors(start, size) ? "; it looks like a .safetensors file" : ""));
                }
                yield NpzReader.read(file, size);
            }
            case SAFETENSORS -> {
                if (looksLikeZip(start)) {
                    throw WeightFileException.of(file, "this is a zip archive, not a .safetensors file (an .npz, or a "
                            + "PyTorch torch.save checkpoint?)");
                }
                yield SafetensorsReader.read(file, size);
            }
        };
    }

    /**
     * Writes {@code state} to {@code file} in the format its extension names, in the map's order, atomically.
     *
     * <p>Tensors may be FLOAT, DOUBLE or HALF (and BFLOAT16 in {@code .safetensors}; numpy has no such type);
     * LONG only under a key ending in {@code num_batches_tracked}. They are written as they are, in c order, views
     * and f-order arrays included. What this method writes, {@link #read} reads back identically.
     *
     * @throws IllegalArgumentException if a key or a tensor cannot be written (checked before the file is touched)
     * @throws IOException              if writing or moving the file fails; the target is then left as it was
     */
    public static void write(Path file, Map<String, INDArray> state) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(state, "state");
        Format format = formatOf(file);
        if (format == null) {
            throw new IllegalArgumentException(file + ": unknown weight file extension; expected .npz or .safetensors");
        }
        for (Map.Entry<String, INDArray> entry : state.entrySet()) {
            Objects.requireNonNull(entry.getKey(), "a key of the state is null");
            Objects.requireNonNull(entry.getValue(), () -> "the tensor '" + entry.getKey() + "' is null");
            if (entry.getKey().isEmpty()) {
                throw new IllegalArgumentException(file + ": an empty key cannot name a tensor");
            }
        }
        try {
            switch (format) {
                case NPZ -> NpzWriter.validate(state);
                case SAFETENSORS -> SafetensorsWriter.validate(state);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }

        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        Path temporary = directory.resolve("." + target.getFileName() + "." + randomSuffix() + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                switch (format) {
                    case NPZ -> NpzWriter.write(state, out);
                    case SAFETENSORS -> SafetensorsWriter.write(state, out);
                }
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    private static Format formatOf(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return null;
        }
        String lower = name.toString().toLowerCase(Locale.ROOT);
        for (Format format : Format.values()) {
            if (lower.endsWith(format.extension) && lower.length() > format.extension.length()) {
                return format;
            }
        }
        return null;
    }

    private static String hintForExtension(Path file) {
        Path name = file.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".pt") || lower.endsWith(".pth") || lower.endsWith(".ckpt") || lower.endsWith(".bin")) {
            return " (a torch.save checkpoint is pickled Python and is not read; in Python, save it with "
                    + "np.savez(path, **{k: v.numpy() for k, v in model.state_dict().items()}))";
        }
        return "";
    }

    private static boolean looksLikeZip(byte[] start) {
        // A local file header, or the end record of an empty archive.
        return start.length >= 4 && start[0] == 'P' && start[1] == 'K'
                && ((start[2] == 3 && start[3] == 4) || (start[2] == 5 && start[3] == 6));
    }

    private static boolean looksLikeSafetensors(byte[] start, long size) {
        if (start.length < 9 || start[8] != '{') {
            return false;
        }
        long length = 0;
        for (int i = 7; i >= 0; i--) {
            length = (length << 8) | (start[i] & 0xff);
        }
        return length > 0 && length <= size - 8;
    }

    private static String hex(byte[] start) {
        if (start.length == 0) {
            return "nothing";
        }
        byte[] shown = start.length > 8 ? java.util.Arrays.copyOf(start, 8) : start;
        return "0x" + HexFormat.of().formatHex(shown);
    }

    private static String randomSuffix() {
        byte[] bytes = new byte[6];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
