package dev.shapeproof.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;

/**
 * The runtime types generated code uses, by name: the processor never loads ND4J or the layer classes that use it.
 */
final class RuntimeTypes {
    private RuntimeTypes() {}

    static final ClassName INDARRAY = ClassName.get("org.nd4j.linalg.api.ndarray", "INDArray");
    static final ClassName MODULES = ClassName.get("dev.shapeproof.nn", "Modules");
    static final ClassName COMPILED_MODEL = ClassName.get("dev.shapeproof.nn", "CompiledModel");
    static final ClassName PARAMETER = ClassName.get("dev.shapeproof.nn", "Parameter");
    static final ClassName INPUTS = ClassName.get("dev.shapeproof.nn", "Inputs");
    static final ClassName FORWARD_WORKSPACE = ClassName.get("dev.shapeproof.nn", "ForwardWorkspace");
    static final ClassName BLOCK_WORKSPACE = ClassName.get("dev.shapeproof.nn", "BlockWorkspace");
    static final ClassName CONV_ACTIVATION = ClassName.get("dev.shapeproof.nn.ops", "ConvActivation");
    static final ClassName LOAD_OPTIONS = ClassName.get("dev.shapeproof.io", "LoadOptions");
    static final ClassName PATH = ClassName.get("java.nio.file", "Path");
    static final ClassName IO_EXCEPTION = ClassName.get("java.io", "IOException");
    static final TypeName TENSOR_MAP =
            ParameterizedTypeName.get(ClassName.get("java.util", "Map"), ClassName.get(String.class), INDARRAY);
}
