package dev.shapeproof.spark;

import static dev.shapeproof.spark.TestData.maxAbsDiff;
import static dev.shapeproof.spark.TestData.npy;
import static dev.shapeproof.spark.TestData.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shapeproof.examples.ContextModuleModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** One {@code .npy} per row, on the dilated context module (21×64×64 in, 21×64×64 out). */
class NpyInputTest {
    private static final StructType NPY_ROWS = DataTypes.createStructType(List.of(
            DataTypes.createStructField("name", DataTypes.StringType, false),
            DataTypes.createStructField("npy", DataTypes.BinaryType, true)));
    private static final long[] SAMPLE = {21, 64, 64};

    @Test
    void npyRowsOfEitherDtypeByteOrderAndUnitAxesScoreAsTheForward() {
        Random random = new Random(11);
        List<float[]> samples = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        String[] descrs = {"<f4", "<f8", ">f4", "<f4"};
        for (int i = 0; i < 10; i++) {
            float[] x = new float[21 * 64 * 64];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) random.nextGaussian();
            }
            samples.add(x);
            long[] shape = i % 4 == 3 ? new long[] {1, 21, 64, 64} : SAMPLE; // np.save(x[None]) fits too
            rows.add(RowFactory.create("sample-" + i, npy(x, shape, descrs[i % 4])));
        }
        // Bad rows, skipped: every way a .npy can fail.
        rows.add(RowFactory.create("shape", npy(new float[20 * 64 * 64], new long[] {20, 64, 64}, "<f4")));
        rows.add(RowFactory.create("half", npy(new float[21 * 64 * 64], SAMPLE, "<f2")));
        byte[] whole = npy(new float[21 * 64 * 64], SAMPLE, "<f4");
        rows.add(RowFactory.create("truncated", Arrays.copyOf(whole, whole.length - 100)));
        rows.add(RowFactory.create("text", "not a numpy file".getBytes()));
        rows.add(RowFactory.create("null", null));

        ShapeProofTransformer t = new ShapeProofTransformer().setModelClass(ContextModuleModel.class.getName())
                .setSeed(7).setInputCol("npy").setIdCol("name").setBatchSize(4).setHandleInvalid("skip");
        Map<String, Row> scored = new HashMap<>();
        for (Row r : t.transform(TestData.spark().createDataFrame(rows, NPY_ROWS).repartition(2)).collectAsList()) {
            scored.put(r.getString(0), r);
        }

        ContextModuleModel model = new ContextModuleModel(7);
        for (int i = 0; i < 10; i++) {
            Row r = scored.get("sample-" + i);
            assertNull(r.get(r.fieldIndex("error")), "sample " + i);
            INDArray expected = model.forward(Nd4j.create(samples.get(i), new long[] {1, 21, 64, 64}, 'c'));
            List<Float> output = r.getList(r.fieldIndex("output"));
            float[] out = new float[output.size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = output.get(k);
            }
            float diff = maxAbsDiff(out, row(expected, 0));
            assertTrue(diff <= 1e-4f, "sample " + i + ": " + diff);
        }
        assertEquals(" found a .npy of shape [20, 64, 64]", tail(scored.get("shape")));
        assertTrue(tail(scored.get("half")).contains("dtype <f2"), tail(scored.get("half")));
        assertTrue(tail(scored.get("truncated")).contains("found a truncated .npy of shape [21, 64, 64]"));
        assertTrue(tail(scored.get("text")).contains("not a .npy file"));
        assertEquals(" found null", tail(scored.get("null")));
        assertTrue(scored.get("shape").getString(scored.get("shape").fieldIndex("error"))
                .contains("(shape): input x of ContextModule is [-1, 21, 64, 64] (86016 floats per row);"));
    }

    /** The error message after the expected shape: what the row held. */
    private static String tail(Row r) {
        String error = r.getString(r.fieldIndex("error"));
        return error.substring(error.indexOf(';') + 1);
    }
}
