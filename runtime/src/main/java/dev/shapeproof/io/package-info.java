/**
 * Weight files: a PyTorch {@code state_dict} as {@code .npz} or {@code .safetensors}, read strictly and checked
 * against what a model expects.
 *
 * <pre>{@code
 * # Python: save a state_dict in either format
 * np.savez("net.npz", **{k: v.numpy() for k, v in model.state_dict().items()})
 * safetensors.torch.save_file(model.state_dict(), "net.safetensors")
 *
 * // Java: read, then check against the model's parameter shapes (state_dict order)
 * LoadedState state = StateDictFiles.read(Path.of("net.npz"));
 * StateDictCheck.Result weights = StateDictCheck.check(expectedShapes, state, true, KeyMap.none());
 * StateDictFiles.write(Path.of("copy.safetensors"), weights.tensors());
 * }</pre>
 *
 * <h2>What is read</h2>
 *
 * <ul>
 *   <li>{@code .npz}: a zip of {@code <key>.npy} entries, stored ({@code np.savez}) or deflated
 *       ({@code np.savez_compressed}); {@code .npy} versions 1.0, 2.0 and 3.0; little- or big-endian;
 *       {@code fortran_order=True} arrays are reordered to c order.
 *   <li>{@code .safetensors}: the 8-byte header length, the JSON header, the data; read with a small strict JSON
 *       reader (no dependency).
 *   <li>Element types: float32 as is; float64, float16 and bfloat16 converted to float32, each conversion recorded in
 *       {@link dev.shapeproof.io.LoadedState#notes()} (float64 values that overflow or underflow float32 are counted
 *       there too). int64 only under keys ending in {@code num_batches_tracked} (BatchNorm's counter, 0-d in
 *       PyTorch), kept as a LONG INDArray. Everything else (bool, int32, uint8, complex, object, structured
 *       dtypes...) is rejected by name.
 * </ul>
 *
 * <h2>Hostile input</h2>
 *
 * Every malformed file ends in a {@link dev.shapeproof.io.WeightFileException} naming the file, the key (and the
 * zip entry) and the problem; never a hang, an {@code OutOfMemoryError} or a partly loaded state:
 *
 * <ul>
 *   <li>lengths are checked before anything is allocated: an {@code .npy} header over 64 KiB, a safetensors header
 *       over 100 MiB or past the end of the file;
 *   <li>shapes whose element count overflows, or whose byte size differs from the bytes the entry or the
 *       {@code data_offsets} hold (truncated data, trailing data), are rejected;
 *   <li>total bytes are capped by the file: a stored zip entry's bytes are in the file, the entries' compressed sizes
 *       together must fit in it, safetensors offsets must tile the data exactly; a deflated entry's claimed size is
 *       never trusted for allocation (arrays grow as inflated data arrives, and reading stops at the declared size);
 *   <li>the zip must be intact (CRC checked), hold only {@code .npy} entries, and no key twice; the JSON header
 *       must be strict RFC 8259, nested at most 64 deep, without duplicate names.
 * </ul>
 *
 * <h2>Why not ND4J's {@code Nd4j.createFromNpzFile}</h2>
 *
 * ND4J 1.0.0-M2.1's reader (checked in {@code Nd4jNpzReaderTest}) scans the raw file instead of opening the zip and
 * checks nothing. It fails on any 0-d array ({@code NumberFormatException}), so on every state_dict with a BatchNorm
 * ({@code num_batches_tracked}); fails on big-endian data and {@code np.savez_compressed} files ("Unsupported data
 * type"); silently loads a truncated entry with made-up values and an overflowing shape as an array of that shape;
 * and spins forever on a version 2.0 header whose length field is {@code 0xFFFFFFFF}.
 *
 * <h2>Key names and renames</h2>
 *
 * Keys are PyTorch's {@code state_dict} names ({@code conv1.weight}, {@code bn1.running_var}). A file saved from
 * differently nested modules ({@code nn.Sequential}'s {@code features.0.weight}, {@code nn.DataParallel}'s
 * {@code module.} prefix) is matched with prefix renames, longest prefix first: see {@link dev.shapeproof.io.KeyMap}.
 *
 * <h2>Writing</h2>
 *
 * {@link dev.shapeproof.io.StateDictFiles#write} writes what it reads, in the map's order, in c order whatever the
 * arrays' layout (ND4J's {@code writeAsNumpy} writes views and f-order arrays wrongly), atomically (a temporary file
 * beside the target, then a move) and deterministically.
 */
package dev.shapeproof.io;
