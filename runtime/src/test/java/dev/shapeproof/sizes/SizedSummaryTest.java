package dev.shapeproof.sizes;

import static com.google.common.truth.Truth.assertThat;

import dev.shapeproof.summary.ModelSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A summary template's MACs per output element ({@code *out}) and per element of the first input ({@code *in}). */
class SizedSummaryTest {
    /**
     * A stride-2 transposed convolution with output padding 1 in H: 2·H + 1 rows out of H, so its MACs (each input
     * element meets out·kH·kW weights) are a whole number per input element but not per output element.
     */
    @Test
    void macsPerInputElementFollowTheInput() {
        List<String> names = List.of("H", "W");
        SizedSummary summary = SizedSummary.builder("Up", AdmissibleSizes.parse(names,
                "H lo=1 hi=65536 start=1 period=1 residues=0 | W lo=1 hi=65536 start=1 period=1 residues=0"))
                .input("x", SymbolicShape.parse("[-1,4,H,W]"))
                .row("conv Conv2d [-1,4,H,W] -> [-1,4,H,W] params=40 macs=36*out bias=1*out")
                .row("up ConvTranspose2d [-1,4,H,W] -> [-1,4,2*H+1,W] params=36 macs=8*in bias=1*out")
                .output("output0", SymbolicShape.parse("[-1,4,2*H+1,W]"))
                .chainEdges()
                .build();
        ModelSummary at = summary.at(5, 7);
        assertThat(at.rows().get(0).macs()).isEqualTo(36L * 4 * 5 * 7);
        assertThat(at.rows().get(1).macs()).isEqualTo(8L * 4 * 5 * 7);
        assertThat(at.rows().get(1).biasAdds()).isEqualTo(4L * 11 * 7);
        SizeValues sizes = SizeValues.of(names, 5, 7);
        assertThat(summary.macs().at(sizes)).isEqualTo((36L + 8) * 4 * 5 * 7);
        assertThat(summary.biasAdds().at(sizes)).isEqualTo(4L * 5 * 7 + 4L * 11 * 7);
    }
}
