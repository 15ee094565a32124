package dev.shapeproof.io;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.shapeproof.io.IoFixtures.assertRejected;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The file-level contract of {@link StateDictFiles#read}: the format comes from the extension, and every broken
 * file (empty, garbage, cut short anywhere, bytes flipped anywhere) ends in a {@link WeightFileException} that
 * names it, quickly, and never in another exception.
 */
class StateDictFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"w.npz", "w.safetensors"})
    void anEmptyFileFailsWithAClearMessage(String name) throws Exception {
        Path file = Files.createFile(dir.resolve(name));
        assertRejected(file, "empty file (0 bytes); expected a ." + name.substring(2) + " weight file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"w.npz", "w.safetensors"})
    void randomGarbageFailsFast(String name) {
        Random random = new Random(42);
        for (int size : new int[] {1, 7, 8, 9, 100, 4096, 1 << 20}) {
            byte[] garbage = new byte[size];
            random.nextBytes(garbage);
            WeightFileException error = assertRejected(IoFixtures.write(dir.resolve(name), garbage));
            if (name.endsWith(".npz")) {
                assertThat(error).hasMessageThat().contains("not a zip archive, so not an .npz");
            }
        }
    }

    @Test
    void unknownExtensionsAreNamed() throws Exception {
        Path pt = Files.write(dir.resolve("model.pth"), new byte[] {1});
        assertRejected(pt, "unknown weight file extension; expected .npz or .safetensors",
                "a torch.save checkpoint is pickled Python and is not read");
        assertRejected(Files.write(dir.resolve("weights"), new byte[] {1}), "unknown weight file extension");
        assertRejected(Files.write(dir.resolve(".npz"), new byte[] {1}), "unknown weight file extension");
    }

    @Test
    void missingFilesAndDirectories() throws Exception {
        assertRejected(dir.resolve("absent.npz"), "no such file");
        assertRejected(Files.createDirectory(dir.resolve("folder.safetensors")), "is a directory");
    }

    @Test
    void theWrongFormatUnderAnExtensionIsRecognised() throws Exception {
        Path safetensorsAsNpz = Files.copy(IoFixtures.resource("net_f32.safetensors"), dir.resolve("a.npz"));
        Path npzAsSafetensors = Files.copy(IoFixtures.resource("net_f32.npz"), dir.resolve("b.safetensors"));

        assertRejected(safetensorsAsNpz, "not a zip archive", "it looks like a .safetensors file");
        assertRejected(npzAsSafetensors, "this is a zip archive, not a .safetensors file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"net_f32.npz", "net_f32_compressed.npz", "net_f32.safetensors", "net_f16.safetensors"})
    void aFileCutShortAnywhereIsRejected(String name) {
        byte[] whole = IoFixtures.bytes(name);
        Path file = dir.resolve(name);
        long start = System.nanoTime();
        for (int length = 0; length < whole.length; length++) {
            IoFixtures.write(file, Arrays.copyOf(whole, length));
            assertRejected(file);
        }
        assertWithMessage("seconds for %s cuts", whole.length).that((System.nanoTime() - start) / 1e9)
                .isLessThan(60.0);
    }

    /**
     * Flips random bytes of real files. A flip may land where no check can see it (a safetensors value, an unused
     * zip field), so the file may still load; what must never happen is any other exception.
     */
    @ParameterizedTest
    @ValueSource(strings = {"net_f32.npz", "net_f32_compressed.npz", "net_fortran.npz", "net_f32.safetensors",
        "net_bf16.safetensors"})
    void flippedBytesGiveAWeightFileExceptionOrAValidState(String name) throws Exception {
        byte[] whole = IoFixtures.bytes(name);
        Path file = dir.resolve(name);
        Random random = new Random(name.hashCode());
        int rejected = 0;
        for (int trial = 0; trial < 300; trial++) {
            byte[] mutated = whole.clone();
            int flips = 1 + random.nextInt(3);
            for (int i = 0; i < flips; i++) {
                int at = random.nextInt(mutated.length);
                mutated[at] = random.nextInt(4) == 0 ? (byte) 0xff : (byte) (mutated[at] ^ (1 << random.nextInt(8)));
            }
            IoFixtures.write(file, mutated);
            try {
                LoadedState state = StateDictFiles.read(file);
                assertThat(state.tensors()).isNotEmpty();
            } catch (WeightFileException expected) {
                assertThat(expected).hasMessageThat().startsWith(file + ": ");
                rejected++;
            } catch (RuntimeException | Error unexpected) {
                throw new AssertionError("trial " + trial + " on " + name + " threw " + unexpected, unexpected);
            }
        }
        assertThat(rejected).isGreaterThan(0);
    }

    @Test
    void zipBombShapedNpzIsRejectedByItsHeaderNotByTheHeap() throws Exception {
        // A real, well-formed 64 MiB deflated entry of zeros: compressed to ~64 KiB. Its shape says (1,), so the
        // reader must stop at the declared size, not inflate the rest.
        byte[] npyBytes = IoFixtures.npy("<f4", "False", "(1,)", new byte[64 << 20]);
        Path file = new IoFixtures.Zip().deflated().add("a.npy", npyBytes).write(dir.resolve("bomb.npz"));
        assertThat(Files.size(file)).isLessThan(1L << 20);

        assertRejected(file, "entry 'a.npy': shape (1,) of float32 needs 4 data bytes, the entry holds 67108864");
    }
}
