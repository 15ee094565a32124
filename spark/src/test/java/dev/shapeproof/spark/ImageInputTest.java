package dev.shapeproof.spark;

import static dev.shapeproof.spark.TestData.cause;
import static dev.shapeproof.spark.TestData.maxAbsDiff;
import static dev.shapeproof.spark.TestData.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shapeproof.examples.SeedNetModel;
import dev.shapeproof.spark.probe.ChannelsModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Spark's {@code image} data source as input: decoding, channel order, normalisation, and images that do not fit. */
class ImageInputTest {
    private static final StructType IMAGE_ROWS = DataTypes.createStructType(List.of(
            DataTypes.createStructField("image", ImageSchema.columnSchema(), true)));

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestData.spark();
    }

    private static ShapeProofTransformer seedNet(Path weights) {
        return new ShapeProofTransformer().setModelClass(SeedNetModel.class.getName()).setWeights(weights.toString())
                .setInputCol("image").setMean(DigitImages.MEAN).setStd(DigitImages.STD)
                .setClassifierOutput("log_probabilities");
    }

    /** The committed digits, a corrupt file and a colour image, in one directory. */
    private static Path digitsAndTwoBadFiles(Path dir) throws IOException {
        for (int label = 0; label < 10; label++) {
            try (InputStream in = ImageInputTest.class.getResourceAsStream("/digits/digit-" + label + ".png")) {
                Files.copy(in, dir.resolve("digit-" + label + ".png"));
            }
        }
        Files.write(dir.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4});
        ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_3BYTE_BGR), "png", dir.resolve("colour.png").toFile());
        return dir;
    }

    @Test
    void digitsAsPngFilesScoreAsTheForwardOfTheirPixels(@TempDir Path dir) throws IOException {
        Path weights = TestData.seedNetWeights();
        Dataset<Row> images = spark.read().format("image").option("dropInvalid", false)
                .load(digitsAndTwoBadFiles(dir).toString());
        Dataset<Row> scored = seedNet(weights).setHandleInvalid("skip").setBatchSize(4).transform(images);

        SeedNetModel net = new SeedNetModel(weights);
        Map<String, INDArray> digits = TestData.digits();
        int right = 0;
        Map<String, Row> byFile = new HashMap<>();
        for (Row r : scored.collectAsList()) {
            String origin = r.getStruct(r.fieldIndex("image")).getString(0);
            byFile.put(origin.substring(origin.lastIndexOf('/') + 1), r);
        }
        assertEquals(12, byFile.size());
        for (int label = 0; label < 10; label++) {
            Row r = byFile.get("digit-" + label + ".png");
            assertNull(r.get(r.fieldIndex("error")), "digit " + label);
            // The same pixels read by Java's ImageIO and normalised here: the forward the transformer must match.
            BufferedImage png = ImageIO.read(dir.resolve("digit-" + label + ".png").toFile());
            float[] x = new float[784];
            for (int p = 0; p < 784; p++) {
                x[p] = (float) ((png.getRaster().getSample(p % 28, p / 28, 0) / 255.0 - DigitImages.MEAN) / DigitImages.STD);
            }
            // ...and they are digits.npz's images, to within half a grey level.
            float[] original = row(digits.get("images"), label);
            assertTrue(maxAbsDiff(x, original) <= 0.5 / 255 / DigitImages.STD + 1e-6, "digit " + label);
            INDArray expected = net.forward(Nd4j.create(x, new long[] {1, 1, 28, 28}, 'c'));
            List<Float> output = r.getList(r.fieldIndex("output"));
            float[] out = new float[output.size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = output.get(k);
            }
            assertTrue(maxAbsDiff(out, row(expected, 0)) <= 1e-5f, "digit " + label);
            right += (int) r.getDouble(r.fieldIndex("prediction")) == label ? 1 : 0;
        }
        assertEquals(10, right, "the seed net classifies all ten digits from their PNG files");

        Row broken = byFile.get("broken.png");
        assertNull(broken.get(broken.fieldIndex("prediction")));
        String brokenError = broken.getString(broken.fieldIndex("error"));
        assertTrue(brokenError.contains("broken.png)") && brokenError.contains("found an undecodable image"), brokenError);
        String colourError = byFile.get("colour.png").getString(byFile.get("colour.png").fieldIndex("error"));
        assertTrue(colourError.contains("is [-1, 1, 28, 28]") && colourError.contains(
                "found an image of 28×28 with 3 channels ([3, 28, 28])"), colourError);
        assertEquals(2, scored.where("error is not null").count());
    }

    @Test
    void anUndecodableImageFailsTheJobNamingTheFile(@TempDir Path dir) throws IOException {
        Dataset<Row> images = spark.read().format("image").option("dropInvalid", false)
                .load(digitsAndTwoBadFiles(dir).toString());
        Exception e = assertThrows(Exception.class,
                () -> seedNet(TestData.seedNetWeights()).transform(images).collectAsList());
        BadRowException bad = cause(e, BadRowException.class);
        assertNotNull(bad, e.toString());
        assertTrue(bad.getMessage().contains("broken.png") || bad.getMessage().contains("colour.png"),
                bad.getMessage());
    }

    /** A 2×4 image with {@code nChannels} channels, every byte distinct, as Spark's image source stores it. */
    private static Row image(String origin, int height, int width, int nChannels) {
        byte[] data = new byte[height * width * nChannels];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (7 * i + 3);
        }
        int mode = nChannels == 1 ? 0 : nChannels == 3 ? 16 : 24; // OpenCV's CV_8UC1, CV_8UC3, CV_8UC4
        return RowFactory.create(RowFactory.create(origin, height, width, nChannels, mode, data));
    }

    private static float[] decoded(ShapeProofTransformer t, Row image) {
        Row r = t.transform(spark.createDataFrame(List.of(image), IMAGE_ROWS)).collectAsList().get(0);
        List<Float> values = r.getList(r.fieldIndex("output"));
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    @Test
    void bgrBytesBecomeChwFloatsInTheChannelOrderAskedNormalisedPerChannel() {
        ShapeProofTransformer t = new ShapeProofTransformer().setModelClass(ChannelsModel.class.getName())
                .setInputCol("image").setScale(0.5).setMean(1, 2, 3).setStd(1, 2, 4);
        double[] mean = {1, 2, 3};
        double[] std = {1, 2, 4};
        for (int nChannels : new int[] {3, 4}) { // BGR, and BGRA whose alpha a 3-channel model drops
            Row image = image("probe", 2, 4, nChannels);
            byte[] data = (byte[]) image.getStruct(0).get(5);
            for (String order : new String[] {"RGB", "BGR"}) {
                float[] out = decoded(t.setChannelOrder(order), image);
                assertEquals(24, out.length);
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < 8; p++) {
                        int source = order.equals("RGB") ? 2 - c : c;
                        double expected = ((data[p * nChannels + source] & 0xFF) * 0.5 - mean[c]) / std[c];
                        assertEquals((float) expected, out[c * 8 + p], 0f, order + " channel " + c + " pixel " + p);
                    }
                }
            }
        }
    }

    @Test
    void anImageOfAnotherSizeIsAnErrorWithBothShapes() {
        ShapeProofTransformer t = new ShapeProofTransformer().setModelClass(ChannelsModel.class.getName())
                .setInputCol("image").setHandleInvalid("skip");
        List<Row> rows = new ArrayList<>(List.of(image("tall", 3, 4, 3), image("grey", 2, 4, 1), image("ok", 2, 4, 3)));
        rows.add(RowFactory.create((Object) null));
        List<Row> scored = t.transform(spark.createDataFrame(rows, IMAGE_ROWS).coalesce(1)).collectAsList();
        assertEquals("row 0 of partition 0 (tall): input x of Channels is [-1, 3, 2, 4] (24 floats per row); found an"
                + " image of 3×4 with 3 channels ([3, 3, 4])", scored.get(0).getString(scored.get(0).fieldIndex("error")));
        assertTrue(scored.get(1).getString(scored.get(1).fieldIndex("error"))
                .endsWith("found an image of 2×4 with 1 channel ([1, 2, 4])"));
        assertNull(scored.get(2).get(scored.get(2).fieldIndex("error")));
        assertTrue(scored.get(3).getString(scored.get(3).fieldIndex("error")).endsWith("found null"));
    }
}
