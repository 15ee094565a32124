package dev.shapeproof.examples;

import dev.shapeproof.nn.Layer;
import dev.shapeproof.shape.TensorShape;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Compiled by ShapeProof: prints each example model's layers, as PyTorch would print the module, with the output
 * shape the processor proved for each. Nothing here ran the network: every shape is a compile-time constant.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        NetModel net = new NetModel();
        print(out, "Net: the seed's MNIST network", NetModel.INPUT_SHAPE, List.of(
                Map.entry(net.conv1, NetModel.CONV1_OUTPUT_SHAPE),
                Map.entry(net.pool1, NetModel.POOL1_OUTPUT_SHAPE),
                Map.entry(net.relu1, NetModel.RELU1_OUTPUT_SHAPE),
                Map.entry(net.conv2, NetModel.CONV2_OUTPUT_SHAPE),
                Map.entry(net.conv2_drop, NetModel.CONV2_DROP_OUTPUT_SHAPE),
                Map.entry(net.pool2, NetModel.POOL2_OUTPUT_SHAPE),
                Map.entry(net.relu2, NetModel.RELU2_OUTPUT_SHAPE),
                Map.entry(net.flatten, NetModel.FLATTEN_OUTPUT_SHAPE),
                Map.entry(net.fc1, NetModel.FC1_OUTPUT_SHAPE),
                Map.entry(net.relu3, NetModel.RELU3_OUTPUT_SHAPE),
                Map.entry(net.dropout, NetModel.DROPOUT_OUTPUT_SHAPE),
                Map.entry(net.fc2, NetModel.FC2_OUTPUT_SHAPE),
                Map.entry(net.logSoftmax, NetModel.LOG_SOFTMAX_OUTPUT_SHAPE)));

        ContextModuleModel context = new ContextModuleModel();
        print(out, "ContextModule: Yu & Koltun's dilated context module", ContextModuleModel.INPUT_SHAPE, List.of(
                Map.entry(context.ctx1, ContextModuleModel.CTX1_OUTPUT_SHAPE),
                Map.entry(context.ctx2, ContextModuleModel.CTX2_OUTPUT_SHAPE),
                Map.entry(context.ctx3, ContextModuleModel.CTX3_OUTPUT_SHAPE),
                Map.entry(context.ctx4, ContextModuleModel.CTX4_OUTPUT_SHAPE),
                Map.entry(context.ctx5, ContextModuleModel.CTX5_OUTPUT_SHAPE),
                Map.entry(context.ctx6, ContextModuleModel.CTX6_OUTPUT_SHAPE),
                Map.entry(context.ctx7, ContextModuleModel.CTX7_OUTPUT_SHAPE),
                Map.entry(context.output, ContextModuleModel.OUTPUT_OUTPUT_SHAPE)));

        DilatedStackModel stack = new DilatedStackModel();
        print(out, "DilatedStack: 3×3 convolutions with dilation 1, 2, 4, 8 and padding='same'",
                DilatedStackModel.INPUT_SHAPE, List.of(
                        Map.entry(stack.conv1, DilatedStackModel.CONV1_OUTPUT_SHAPE),
                        Map.entry(stack.conv2, DilatedStackModel.CONV2_OUTPUT_SHAPE),
                        Map.entry(stack.conv3, DilatedStackModel.CONV3_OUTPUT_SHAPE),
                        Map.entry(stack.conv4, DilatedStackModel.CONV4_OUTPUT_SHAPE)));
    }

    private static void print(PrintStream out, String title, TensorShape input,
            List<Map.Entry<? extends Layer, TensorShape>> layers) {
        out.println(title);
        out.printf("  %-18s  input%n", input);
        for (Map.Entry<? extends Layer, TensorShape> layer : layers) {
            out.printf("  %-18s  %s%n", layer.getValue(), layer.getKey());
        }
        out.println();
    }
}
