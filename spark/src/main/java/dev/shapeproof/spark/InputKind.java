package dev.shapeproof.spark;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The input column types the transformer reads, told apart by the column's Spark type. */
enum InputKind {
    /** {@code array<float>} or {@code array<double>}: one sample, flattened in C order. */
    ARRAY,
    /** {@code binary}: one sample as a {@code .npy} file's bytes ({@code np.save}). */
    NPY,
    /** Spark's {@code image} data source's struct: BGR(A) bytes in HWC order. */
    IMAGE;

    /** The kind of a column of type {@code type}. */
    static InputKind of(String column, DataType type) {
        if (type instanceof ArrayType array
                && (array.elementType() instanceof FloatType || array.elementType() instanceof DoubleType)) {
            return ARRAY;
        }
        if (type instanceof BinaryType) {
            return NPY;
        }
        if (type instanceof StructType struct && isImage(struct)) {
            return IMAGE;
        }
        throw new IllegalArgumentException("input column " + column + " is " + type.simpleString()
                + "; the transformer reads array<float> (or array<double>: one sample, flattened), binary (one .npy"
                + " per row) or the struct of Spark's image data source");
    }

    private static boolean isImage(StructType struct) {
        List<String> names = Arrays.asList(struct.fieldNames());
        for (StructField field : ((StructType) ImageSchema.columnSchema()).fields()) {
            if (!names.contains(field.name())) {
                return false;
            }
        }
        return true;
    }

    String describe() {
        return name().toLowerCase(Locale.ROOT);
    }
}
