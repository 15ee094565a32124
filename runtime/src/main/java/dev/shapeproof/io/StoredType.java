package dev.shapeproof.io;

/**
 * The element types a weight file may store, and what each becomes in memory.
 *
 * <p>Floats of every width load as float32, ND4J's and PyTorch's parameter type; a conversion other than from
 * float32 is recorded as a note. int64 is accepted for one thing only, BatchNorm's {@code num_batches_tracked}
 * counter, which PyTorch keeps as a 0-d int64 tensor; an int64 anywhere else, and every other type (bool, int32,
 * uint8, float8...), is rejected: a model's parameters are floats.
 */
enum StoredType {
    FLOAT16(2, "float16", "f2", "F16"),
    BFLOAT16(2, "bfloat16", null, "BF16"),
    FLOAT32(4, "float32", "f4", "F32"),
    FLOAT64(8, "float64", "f8", "F64"),
    INT64(8, "int64", "i8", "I64");

    /** The key suffix of the one int64 tensor a state_dict holds. */
    static final String COUNTER_SUFFIX = "num_batches_tracked";

    final int size;
    final String numpyName;
    /** numpy's kind and size ({@code f4}), after the byte-order character; {@code null}: numpy has none. */
    final String npyCode;
    final String safetensorsName;

    StoredType(int size, String numpyName, String npyCode, String safetensorsName) {
        this.size = size;
        this.numpyName = numpyName;
        this.npyCode = npyCode;
        this.safetensorsName = safetensorsName;
    }

    boolean isFloat() {
        return this != INT64;
    }

    static boolean isCounterKey(String key) {
        return key.endsWith(COUNTER_SUFFIX);
    }

    /** The type for a safetensors dtype, or {@code null}. */
    static StoredType ofSafetensors(String name) {
        for (StoredType type : values()) {
            if (type.safetensorsName.equals(name)) {
                return type;
            }
        }
        return null;
    }

    /** The type for numpy's kind and size ({@code f4}), or {@code null}. */
    static StoredType ofNpyCode(String code) {
        for (StoredType type : values()) {
            if (code.equals(type.npyCode)) {
                return type;
            }
        }
        return null;
    }

    /**
     * Why an int64 tensor under {@code key} is refused, or {@code null} where it is the counter. Shared by the
     * readers and the writers: what we write, we read.
     */
    static String int64Refusal(String key) {
        return isCounterKey(key)
                ? null
                : "int64 is accepted only for keys ending in '" + COUNTER_SUFFIX
                        + "' (BatchNorm's counter); a parameter must be a float tensor";
    }

    static final String SUPPORTED = "float32, float64, float16 or bfloat16 (int64 only for *" + COUNTER_SUFFIX + ")";
}
