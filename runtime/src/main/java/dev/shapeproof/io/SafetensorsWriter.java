package dev.shapeproof.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a {@code .safetensors} file as the reference implementation lays it out: the header JSON with
 * {@code "__metadata__": {"format": "pt"}} first, padded with spaces so the data starts on an 8-byte boundary, then
 * the tensors back to back in the map's order.
 */
final class SafetensorsWriter {
    private SafetensorsWriter() {}

    static void validate(Map<String, INDArray> state) {
        for (Map.Entry<String, INDArray> entry : state.entrySet()) {
            if (entry.getKey().equals(SafetensorsReader.METADATA)) {
                throw new IllegalArgumentException("'" + SafetensorsReader.METADATA
                        + "' is reserved in safetensors and cannot name a tensor");
            }
            TensorEncoder.typeOf(entry.getKey(), entry.getValue(), true, ".safetensors");
        }
    }

    static void write(Map<String, INDArray> state, OutputStream out) throws IOException {
        StringBuilder header = new StringBuilder("{\"" + SafetensorsReader.METADATA + "\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Map.Entry<String, INDArray> entry : state.entrySet()) {
            INDArray array = entry.getValue();
            StoredType type = TensorEncoder.typeOf(entry.getKey(), array, true, ".safetensors");
            long end = offset + TensorEncoder.byteCount(array, type);
            header.append(',').append(Json.quote(entry.getKey()))
                    .append(":{\"dtype\":\"").append(type.safetensorsName).append("\",\"shape\":[");
            long[] shape = array.shape();
            for (int i = 0; i < shape.length; i++) {
                header.append(i > 0 ? "," : "").append(shape[i]);
            }
            header.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        header.append('}');
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(prefix.array());
        out.write(json);
        for (int i = json.length; i < padded; i++) {
            out.write(' ');
        }
        for (Map.Entry<String, INDArray> entry : state.entrySet()) {
            INDArray array = entry.getValue();
            TensorEncoder.write(array, TensorEncoder.typeOf(entry.getKey(), array, true, ".safetensors"), out);
        }
    }
}
