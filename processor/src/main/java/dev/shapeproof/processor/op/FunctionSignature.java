package dev.shapeproof.processor.op;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How the forward DSL calls an op as a function: its PyTorch name and parameters, each mapped to the attribute the op
 * definition reads, and the namespaces where PyTorch has the function with these parameters. Python's binding rules
 * apply: positional arguments in order (up to the first keyword-only parameter), then keywords.
 *
 * @param name the function's name in {@code torch.nn.functional} or {@code torch} ({@code max_pool2d})
 * @param namespaces where PyTorch 1.13 defines it with this signature ({@code F.gelu}, never {@code torch.gelu});
 *     empty for module, call and method signatures, and for functions PyTorch has in none ({@code stochastic_depth},
 *     torchvision's), which the DSL knows by their bare name only
 * @param numpyNames whether PyTorch also binds NumPy's names for {@code dim} and {@code keepdim}, {@code axis} and
 *     {@code keepdims} ({@code torch.sum(x, axis=1, keepdims=True)}), as its C++ argument parser does for every
 *     function it binds; functions written in Python ({@code F.softmax}, {@code torch.split}) take PyTorch's only
 */
public record FunctionSignature(String name, List<Param> params, Set<Namespace> namespaces, boolean numpyNames) {
    private static final java.util.Map<String, String> NUMPY_NAMES = java.util.Map.of("axis", "dim",
            "keepdims", "keepdim");

    public FunctionSignature {
        params = List.copyOf(params);
        namespaces = namespaces.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(namespaces));
    }

    public FunctionSignature(String name, List<Param> params) {
        this(name, params, Set.of(), false);
    }

    public static FunctionSignature of(String name, Param... params) {
        return new FunctionSignature(name, List.of(params));
    }

    /** This signature, as PyTorch defines it in {@code namespaces} ({@code F}, {@code torch}). */
    public FunctionSignature in(Namespace... namespaces) {
        return new FunctionSignature(name, params, Set.of(namespaces), numpyNames);
    }

    /** This signature, bound by PyTorch's C++ argument parser: {@code axis} and {@code keepdims} name its params too. */
    public FunctionSignature withNumpyNames() {
        return new FunctionSignature(name, params, namespaces, true);
    }

    /**
     * The parameter a keyword names: {@code keyword} itself, or for a signature with {@link #numpyNames} the
     * parameter NumPy's name stands for ({@code axis} for {@code dim}); {@code keyword} when it names none.
     */
    public String parameterNamed(String keyword) {
        String pytorch = numpyNames ? NUMPY_NAMES.get(keyword) : null;
        boolean own = params.stream().anyMatch(p -> p.name().equals(keyword));
        return !own && pytorch != null && params.stream().anyMatch(p -> p.name().equals(pytorch)) ? pytorch
                : keyword;
    }

    /**
     * This signature without the parameters {@code names}, for a namespace where PyTorch's function lacks them
     * ({@code torch.relu} has no {@code inplace}, {@code torch.max_pool2d} no {@code return_indices}).
     */
    public FunctionSignature without(String... names) {
        List<String> removed = Arrays.asList(names);
        List<Param> kept = new ArrayList<>();
        for (Param param : params) {
            if (!removed.contains(param.name())) {
                kept.add(param);
            }
        }
        if (kept.size() != params.size() - names.length) {
            throw new IllegalArgumentException(name + " has not all of " + removed);
        }
        return new FunctionSignature(name, kept, namespaces, numpyNames);
    }

    /** How many arguments may be passed by position: the parameters before the first keyword-only one. */
    public int positionalLimit() {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).keywordOnly()) {
                return i;
            }
        }
        return params.size();
    }

    /** {@code max_pool2d(input, kernel_size, stride=None, ...)}, for messages. */
    public String describe() {
        StringBuilder text = new StringBuilder(name).append('(');
        for (int i = 0; i < params.size(); i++) {
            Param param = params.get(i);
            if (param.kind() == ParamKind.IGNORED || param.kind() == ParamKind.UNSUPPORTED) {
                continue;
            }
            text.append(i == 0 ? "" : ", ").append(i == positionalLimit() ? "*, " : "").append(param.name());
            if (!param.required()) {
                text.append("=").append(param.pythonDefault());
            }
        }
        return text.append(')').toString();
    }

    /** What a parameter accepts. */
    public enum ParamKind {
        /** A tensor expression. */
        TENSOR,
        /** A list or tuple of tensor expressions ({@code cat}). */
        TENSOR_LIST,
        /**
         * A tensor or {@code None} ({@code layer_norm}'s {@code weight}): a tensor is the node's next input, and the
         * attribute, when the parameter names one, says whether it was given.
         */
        OPTIONAL_TENSOR,
        /** A tensor (the node's next input) or a number (the attribute, a double): {@code torch.mul(x, 0.5)}. */
        TENSOR_OR_SCALAR,
        /**
         * Sizes or dims as the rest of the positional arguments or one tuple ({@code x.permute(0, 2, 3, 1)},
         * {@code x.expand(n, -1, -1)}), stored as a list of ints. A first size read from a tensor at run time
         * ({@code x.shape[0]}) is stored as -1, sets the attribute {@code <attribute>FromBatch}, and makes that tensor
         * the node's last input, so the generated code can read the batch size from it.
         */
        SIZES,
        /** An int literal. */
        INT,
        /** An int or a tuple of ints, stored as a list (kernel sizes). */
        INTS,
        /**
         * An int, stored as an {@code Integer}, or a list or tuple of ints, stored as a list: {@code split}'s piece
         * size or sizes, which mean different things.
         */
        INT_OR_INTS,
        /** A float or int literal. */
        DOUBLE,
        /** {@code True} or {@code False}. */
        BOOL,
        /** A string literal. */
        STRING,
        /**
         * {@code self.training} (follow the model's mode, the default) or a literal {@code True}/{@code False}
         * (dropout's {@code training}).
         */
        MODE,
        /**
         * A convolution's padding: an int or a tuple sets {@code padding}; {@code 'same'} or {@code 'valid'} sets
         * {@code autoPad}.
         */
        PADDING,
        /** Accepted for parity with PyTorch and ignored ({@code inplace}: liveness decides; {@code training}). */
        IGNORED,
        /**
         * Only its default is supported ({@code None}, or the value in {@code defaultValue}: {@code 'zeros'} for a
         * padding mode); any other value is an error.
         */
        UNSUPPORTED
    }

    /**
     * One parameter.
     *
     * @param name PyTorch's name ({@code kernel_size})
     * @param attribute the op's attribute it sets ({@code kernel}), or {@code null} for tensors and ignored ones
     * @param defaultValue the attribute's value when omitted (as the annotation reader stores it), or {@code null}
     *     when the parameter is required
     * @param pythonDefault the default as PyTorch's signature shows it
     * @param keywordOnly whether PyTorch takes it by keyword only ({@code F.gelu(x, *, approximate)}), as this and
     *     every later parameter
     */
    public record Param(String name, String attribute, ParamKind kind, Object defaultValue, String pythonDefault,
            boolean keywordOnly) {
        public Param(String name, String attribute, ParamKind kind, Object defaultValue, String pythonDefault) {
            this(name, attribute, kind, defaultValue, pythonDefault, false);
        }

        /** This parameter, taken by keyword only. */
        public Param byKeyword() {
            return new Param(name, attribute, kind, defaultValue, pythonDefault, true);
        }

        public boolean required() {
            return defaultValue == null && kind != ParamKind.IGNORED && kind != ParamKind.UNSUPPORTED
                    && kind != ParamKind.OPTIONAL_TENSOR;
        }

        /** A tensor or {@code None}; {@code attribute} says which. */
        public static Param optionalTensor(String name, String attribute) {
            return new Param(name, attribute, ParamKind.OPTIONAL_TENSOR, null, "None");
        }

        /** A required parameter that sets {@code attribute} (a module signature's: no default of its own). */
        public static Param requiredModule(String name, String attribute, ParamKind kind) {
            return new Param(name, attribute, kind, null, null);
        }

        /**
         * An optional parameter of a module signature: omitted, its attribute keeps the annotation's default, shown as
         * {@code pythonDefault}.
         */
        public static Param optionalModule(String name, String attribute, ParamKind kind, String pythonDefault) {
            return new Param(name, attribute, kind, ANNOTATION_DEFAULT, pythonDefault);
        }

        /** The default of an optional module parameter: its attribute's value in the annotation. */
        public static final Object ANNOTATION_DEFAULT = new Object() {
            @Override
            public String toString() {
                return "the annotation's default";
            }
        };

        public static Param tensor(String name) {
            return new Param(name, null, ParamKind.TENSOR, null, null);
        }

        public static Param tensors(String name) {
            return new Param(name, null, ParamKind.TENSOR_LIST, null, null);
        }

        public static Param required(String name, String attribute, ParamKind kind) {
            return new Param(name, attribute, kind, null, null);
        }

        public static Param optional(String name, String attribute, ParamKind kind, Object defaultValue,
                String pythonDefault) {
            return new Param(name, attribute, kind, defaultValue, pythonDefault);
        }

        public static Param ignored(String name, String pythonDefault) {
            return new Param(name, null, ParamKind.IGNORED, null, pythonDefault);
        }

        public static Param unsupported(String name) {
            return new Param(name, null, ParamKind.UNSUPPORTED, null, "None");
        }

        /** A parameter that must keep its default {@code value}, shown as {@code pythonDefault}. */
        public static Param fixed(String name, Object value, String pythonDefault) {
            return new Param(name, null, ParamKind.UNSUPPORTED, value, pythonDefault);
        }
    }
}
