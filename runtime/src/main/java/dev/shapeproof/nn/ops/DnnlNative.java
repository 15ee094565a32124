package dev.shapeproof.nn.ops;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * oneDNN's C API as JavaCPP's presets map it: the engine, each thread's stream and cache of primitives, memory
 * descriptors of ND4J arrays, and the checks. Only {@link Dnnl#on()} leads here.
 *
 * <p>What the cache is for: a primitive costs 1–6 ms to create (oneDNN generates its kernel), and about a microsecond
 * to execute through JNI. Every op builds its primitives once per shape, layout, parameters and thread count, and
 * reuses them on every later call with the same key. Each thread has its own cache and stream: a oneDNN primitive
 * built with its default scratchpad is meant to run on the thread that built it, so threads never share one, and a
 * forward stays safe to call from many threads at once. The cache is bounded ({@link #MAX_PLANS} per thread, least
 * recently used out); a thread's entries are destroyed when it ends (a {@link Cleaner}).
 *
 * <p>Traps of the presets, each handled here: oneDNN's dilation counts from 0 (PyTorch's {@code d} is {@code d − 1});
 * {@code DNNL_MEMORY_ALLOCATE} is not mapped (a pointer whose address is −1); a descriptor read back from a primitive
 * descriptor points into it, so the plan keeps the primitive descriptor; handles are never freed by the garbage
 * collector, only by the {@code dnnl_*_destroy} calls in {@link Plan#close()}.
 */
final class DnnlNative {
    /** Plans (primitives with their memories) kept per thread. */
    static final int MAX_PLANS = 512;

    private static final Cleaner CLEANER = Cleaner.create();
    private static dnnl_engine engine;
    private static final ThreadLocal<PerThread> THREAD = ThreadLocal.withInitial(PerThread::new);

    private DnnlNative() {}

    /** Loads oneDNN and creates the CPU engine; returns oneDNN's version and the library's CPU ISA. */
    static synchronized String load() {
        if (engine == null) {
            Loader.load(dnnl.class);
            dnnl_engine created = new dnnl_engine();
            check(dnnl_engine_create(created, dnnl_cpu, 0), "engine");
            engine = created;
        }
        dnnl_version_t version = dnnl_version();
        return "oneDNN " + version.major() + "." + version.minor() + "." + version.patch();
    }

    static dnnl_engine engine() {
        return engine;
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN: " + what + " failed with status " + status);
        }
    }

    /** The plan cached under {@code key} on this thread, or {@code null}. */
    static Plan plan(String key) {
        return THREAD.get().resources.plans.get(key);
    }

    /** Caches {@code plan} under {@code key} on this thread, destroying the least recently used beyond the bound. */
    static <P extends Plan> P remember(String key, P plan) {
        Plan old = THREAD.get().resources.plans.put(key, plan);
        if (old != null) {
            old.close();
        }
        return plan;
    }

    /** This thread's stream. */
    static dnnl_stream stream() {
        return THREAD.get().resources.stream;
    }

    /** The threads a primitive built now will use: part of every key, since oneDNN fixes it at creation. */
    static int threads() {
        return Nd4j.getEnvironment().maxThreads();
    }

    // --------------------------------------------------------------------------------------------- descriptors

    /** A float32 descriptor with {@code x}'s shape and strides (any strides: c order, channels last, views). */
    static dnnl_memory_desc_t describe(INDArray x) {
        return byStrides(x.shape(), x.stride());
    }

    static dnnl_memory_desc_t byStrides(long[] dims, long[] strides) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_strides(md, dims.length, dims, dnnl_f32, strides), "memory descriptor");
        return md;
    }

    static dnnl_memory_desc_t byTag(long[] dims, int tag) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dnnl_f32, tag), "memory descriptor");
        return md;
    }

    /** Whether {@code md} is a plain strided layout (no inner blocks), which an ND4J array can have. */
    static boolean isPlain(dnnl_memory_desc_t md) {
        return md.format_kind() == dnnl_blocked && md.format_desc_blocking().inner_nblks() == 0;
    }

    /** The strides of a plain descriptor, in elements. */
    static long[] strides(dnnl_memory_desc_t md) {
        long[] strides = new long[md.ndims()];
        md.format_desc_blocking().strides().get(strides);
        return strides;
    }

    static boolean same(dnnl_memory_desc_t a, dnnl_memory_desc_t b) {
        return dnnl_memory_desc_equal(a, b) != 0;
    }

    /** The name of the implementation oneDNN chose for {@code pd} ({@code brgconv:avx512_core}, {@code ref:any}). */
    static String implementation(dnnl_primitive_desc pd) {
        PointerPointer<BytePointer> info = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, info), "implementation query");
        return new BytePointer(info.get(0)).getString();
    }

    // ------------------------------------------------------------------------------------------------ pointers

    /** A raw address for oneDNN: {@code x}'s first element (its buffer's pointer plus its offset). */
    static Pointer address(INDArray x) {
        return address(x, 0);
    }

    /** The address of the element {@code elements} past {@code x}'s first one in its buffer. */
    static Pointer address(INDArray x, long elements) {
        FloatPointer first = new FloatPointer(x.data().pointer()).position(x.offset() + elements);
        return new Raw(first.address() + first.position() * Float.BYTES);
    }

    /** oneDNN's {@code DNNL_MEMORY_ALLOCATE}, which the presets do not map: the library allocates the buffer. */
    static Pointer allocate() {
        return new Raw(-1L);
    }

    /** A pointer that is nothing but an address. */
    private static final class Raw extends Pointer {
        Raw(long address) {
            this.address = address;
        }
    }

    /** A new float32 array of {@code shape} whose memory is laid out by {@code strides} (a permutation of c order). */
    static INDArray arrayWithStrides(long[] shape, long[] strides) {
        int rank = shape.length;
        Integer[] order = new Integer[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = i;
        }
        // Outermost first; ties (size-1 dimensions) keep their logical order.
        java.util.Arrays.sort(order, (a, b) -> strides[a] != strides[b] ? Long.compare(strides[b], strides[a])
                : Integer.compare(a, b));
        long[] physical = new long[rank];
        int[] back = new int[rank];
        boolean identity = true;
        for (int i = 0; i < rank; i++) {
            physical[i] = shape[order[i]];
            back[order[i]] = i;
            identity &= order[i] == i;
        }
        INDArray dense = Nd4j.createUninitialized(DataType.FLOAT, physical);
        return identity ? dense : dense.permute(back);
    }

    // ---------------------------------------------------------------------------------------------------- plans

    /**
     * A oneDNN primitive with its memory objects and argument list, built once and executed many times: the user's
     * arrays are plugged in per call with {@link #bind}, the memories oneDNN owns (reordered weights) stay.
     */
    static class Plan implements AutoCloseable {
        private final List<Pointer> owned = new ArrayList<>();
        dnnl_primitive_desc pd;
        dnnl_primitive primitive;
        private dnnl_exec_arg_t args;
        private int count;

        /** Creates the primitive of {@code pd}, which this plan now owns. */
        void create(dnnl_primitive_desc pd) {
            this.pd = pd;
            own(pd);
            primitive = new dnnl_primitive();
            check(dnnl_primitive_create(primitive, pd), "primitive");
            own(primitive);
        }

        /** A memory object of {@code md} without a buffer (set per call) or with {@code handle}. */
        dnnl_memory memory(dnnl_memory_desc_t md, Pointer handle) {
            dnnl_memory memory = new dnnl_memory();
            check(dnnl_memory_create(memory, md, engine, handle), "memory");
            own(memory);
            return memory;
        }

        /** The argument list, {@code ids[i]} bound to {@code memories[i]}. */
        void arguments(int[] ids, dnnl_memory[] memories) {
            args = new dnnl_exec_arg_t(ids.length);
            own(args);
            for (int i = 0; i < ids.length; i++) {
                args.position(i).arg(ids[i]).memory(memories[i]);
            }
            args.position(0);
            count = ids.length;
        }

        void own(Pointer handle) {
            owned.add(handle);
        }

        static void bind(dnnl_memory memory, Pointer handle) {
            check(dnnl_memory_set_data_handle(memory, handle), "set data handle");
        }

        /** Runs the primitive on this thread's stream and waits for it. */
        void execute() {
            dnnl_stream stream = stream();
            check(dnnl_primitive_execute(primitive, stream, count, args), "execute");
            check(dnnl_stream_wait(stream), "stream wait");
        }

        @Override
        public void close() {
            for (int i = owned.size() - 1; i >= 0; i--) {
                Pointer handle = owned.get(i);
                if (handle instanceof dnnl_primitive p) {
                    dnnl_primitive_destroy(p);
                } else if (handle instanceof dnnl_primitive_desc d) {
                    dnnl_primitive_desc_destroy(d);
                } else if (handle instanceof dnnl_memory m) {
                    dnnl_memory_destroy(m);
                } else if (handle instanceof dnnl_primitive_attr a) {
                    dnnl_primitive_attr_destroy(a);
                } else {
                    handle.close();
                }
            }
            owned.clear();
        }
    }

    /** A reorder between two layouts of the same tensor: its own small plan. */
    static final class Reorder extends Plan {
        final dnnl_memory from;
        final dnnl_memory to;

        Reorder(dnnl_memory_desc_t fromMd, dnnl_memory_desc_t toMd, Pointer toHandle) {
            dnnl_primitive_desc rpd = new dnnl_primitive_desc();
            check(dnnl_reorder_primitive_desc_create(rpd, fromMd, engine, toMd, engine, null), "reorder");
            create(rpd);
            from = memory(fromMd, null);
            to = memory(toMd, toHandle);
            arguments(new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, new dnnl_memory[] {from, to});
        }
    }

    /** This thread's stream and plans; destroyed when the thread ends. */
    private static final class PerThread {
        final Resources resources = new Resources();

        PerThread() {
            CLEANER.register(this, resources::close);
        }
    }

    private static final class Resources {
        final dnnl_stream stream = new dnnl_stream();
        final Map<String, Plan> plans = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Plan> eldest) {
                if (size() > MAX_PLANS) {
                    eldest.getValue().close();
                    return true;
                }
                return false;
            }
        };

        Resources() {
            check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
        }

        void close() {
            for (Plan plan : plans.values()) {
                plan.close();
            }
            plans.clear();
            dnnl_stream_destroy(stream);
        }
    }
}
