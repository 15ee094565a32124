package dev.shapeproof.processor.sizes;

import dev.shapeproof.sizes.SizePolynomial;
import dev.shapeproof.sizes.SizedSummary;
import dev.shapeproof.summary.Edge;

/** A free-size model's {@link SizedSummary}, built at compile time as the generated code builds it at run time. */
public final class FreeSizeSummaries {
    private FreeSizeSummaries() {}

    public static SizedSummary of(FreeSizeModel free) {
        SizedSummary.Builder summary = SizedSummary.builder(free.model().graph().type().getSimpleName().toString(),
                free.admissible());
        var inputs = free.model().graph().inputs();
        for (int i = 0; i < inputs.size(); i++) {
            summary.input(inputs.get(i).value().name(), free.freeSizes().symbolicShape(i));
        }
        free.summary().rows().forEach(summary::row);
        var outputs = free.model().graph().outputNames();
        for (int i = 0; i < outputs.size(); i++) {
            summary.output(outputs.get(i), free.output(i));
        }
        if (free.summary().chain()) {
            summary.chainEdges();
        } else {
            for (Edge edge : free.summary().edges()) {
                summary.edge(edge.from(), edge.to(), edge.via());
            }
        }
        for (SizePolynomial candidate : free.summary().peakCandidates()) {
            summary.inferencePeakCandidate(candidate.toSpec());
        }
        return summary.build();
    }
}
