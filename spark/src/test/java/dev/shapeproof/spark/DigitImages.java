package dev.shapeproof.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The seed net's ten held-out digits (examples' seed-net/digits.npz) as 28×28 gray PNG files, the input of the image
 * tests and of the README's spark-submit example: {@code spark/src/test/resources/digits/digit-<label>.png}. The
 * images in digits.npz are normalised as MNIST is; the bytes are {@code round((x · 0.3081 + 0.1307) · 255)}, so the
 * transformer with {@code mean = 0.1307, std = 0.3081} gives back x to within half a grey level. Regenerate from the
 * repository root (after {@code mvn -Pspark -DskipTests package}) with
 * {@code java -cp spark/target/test-classes:$(cat spark/target/test-classpath.txt) dev.shapeproof.spark.DigitImages
 * spark/src/test/resources/digits}.
 */
final class DigitImages {
    static final double MEAN = 0.1307;
    static final double STD = 0.3081;

    private DigitImages() {}

    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]));
    }

    static void write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Map<String, INDArray> digits = TestData.digits();
        INDArray images = digits.get("images");
        for (int i = 0; i < 10; i++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    image.getRaster().setSample(x, y, 0, grey(images.getFloat(i, 0, y, x)));
                }
            }
            ImageIO.write(image, "png", directory.resolve("digit-" + digits.get("labels").getInt(i) + ".png").toFile());
        }
    }

    /** The byte whose normalisation is nearest to {@code x}. */
    static int grey(float x) {
        return (int) Math.max(0, Math.min(255, Math.round((x * STD + MEAN) * 255)));
    }
}
