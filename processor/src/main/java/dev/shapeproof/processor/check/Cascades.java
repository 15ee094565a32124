package dev.shapeproof.processor.check;

import dev.shapeproof.processor.diag.Location;
import dev.shapeproof.processor.diag.Message;
import dev.shapeproof.processor.diag.Reporter;
import dev.shapeproof.processor.graph.Node;
import dev.shapeproof.processor.graph.Value;
import dev.shapeproof.shape.TensorShape;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One wrong value is one mistake, however many ops read it. The shape errors of an op that fails on its inputs are
 * held until the whole forward is checked: the first op that fails on a value keeps its error, and the later ops that
 * fail on the same value are silenced. When two or more ops read a value, every one of them failed and none accepted
 * it, the value itself is what is wrong (a cat along the wrong dim feeding three convs), so the one error goes to the op
 * that produced it, quoting what its first reader needed; otherwise the first reader's error stands.
 */
final class Cascades {
    /** An error an op reported, not printed yet. */
    record Held(Location location, Message message, Object[] arguments) {
        String text() {
            return message.format(arguments);
        }
    }

    /** The first op that failed on some of its inputs, with its errors. */
    private record Failure(Node reader, List<Held> errors) {}

    private final List<Failure> failures = new ArrayList<>();
    private final Map<Value, Failure> firstFailure = new IdentityHashMap<>();
    private final Map<Value, Set<Node>> failedReaders = new IdentityHashMap<>();
    private final Map<Value, Integer> acceptingReaders = new IdentityHashMap<>();

    /** Whether {@code reader} reads a value an earlier op already failed on: its own errors would repeat that one. */
    boolean readsAFailedValue(Node reader) {
        return reader.inputs().stream().anyMatch(firstFailure::containsKey);
    }

    /** {@code reader} accepted its inputs. */
    void accepted(Node reader) {
        for (Value input : new LinkedHashSet<>(reader.inputs())) {
            acceptingReaders.merge(input, 1, Integer::sum);
        }
    }

    /**
     * {@code reader} failed on its inputs with {@code errors}: held when it is the first to fail on them, else
     * silenced.
     */
    void failed(Node reader, List<Held> errors) {
        Failure failure = readsAFailedValue(reader) ? null : new Failure(reader, List.copyOf(errors));
        if (failure != null) {
            failures.add(failure);
        }
        for (Value input : new LinkedHashSet<>(reader.inputs())) {
            failedReaders.computeIfAbsent(input, v -> new LinkedHashSet<>()).add(reader);
            if (failure != null) {
                firstFailure.putIfAbsent(input, failure);
            }
        }
    }

    /**
     * Prints the held errors, each mistake once: at the producer of a value every reader failed on, else at the first
     * reader. {@code shapes} gives a value's proven shape, {@code subject} how messages name a node.
     */
    void report(Reporter reporter, Function<Value, TensorShape> shapes, Function<Node, String> subject) {
        Set<Value> blamedValues = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Failure failure : failures) {
            Value wrong = failure.reader().inputs().stream().filter(this::noReaderFits).findFirst().orElse(null);
            if (wrong == null) {
                failure.errors().forEach(held -> reporter.report(held.location(), held.message(), held.arguments()));
            } else if (blamedValues.add(wrong)) {
                reportAtProducer(reporter, wrong, failure, shapes.apply(wrong), subject);
            }
        }
        failures.clear();
        firstFailure.clear();
        failedReaders.clear();
        acceptingReaders.clear();
    }

    /** Whether two or more ops read {@code value}, all failed on it, and an op (not a model input) produced it. */
    private boolean noReaderFits(Value value) {
        return value.producer() != null && failedReaders.getOrDefault(value, Set.of()).size() >= 2
                && acceptingReaders.getOrDefault(value, 0) == 0;
    }

    private void reportAtProducer(Reporter reporter, Value wrong, Failure first, TensorShape shape,
            Function<Node, String> subject) {
        Node producer = wrong.producer();
        List<String> readers = failedReaders.get(wrong).stream().map(subject).toList();
        String firstText = first.errors().isEmpty() ? "" : first.errors().get(0).text();
        reporter.report(producer.location(), Message.NO_READER_FITS, subject.apply(producer),
                shape == null ? wrong.name() : shape.toString(), readers.size(), String.join(", ", readers),
                requiredLine(firstText), subject.apply(first.reader()), headline(firstText));
    }

    /** The first line of a formatted message, without its tag: what the reader said. */
    private static String headline(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.startsWith("[") && line.indexOf("] ") > 0 ? line.substring(line.indexOf("] ") + 2) : line;
    }

    /** The {@code required:} line of a formatted message, or its headline where it has none. */
    private static String requiredLine(String text) {
        return text.lines().map(String::strip).filter(line -> line.startsWith("required:"))
                .map(line -> line.substring("required:".length()).strip()).findFirst().orElse(headline(text));
    }
}
