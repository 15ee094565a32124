package dev.shapeproof.shape;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link TensorShape}. */
class TensorShapeTest {

    @Test
    void ofRequiresTheBatchFirst() {
        assertThrows(IllegalArgumentException.class, () -> TensorShape.of());
        assertThrows(IllegalArgumentException.class, () -> TensorShape.of(1, 10, 24, 24));
        assertThrows(IllegalArgumentException.class, () -> TensorShape.of(10, 24, 24));
        assertThat(TensorShape.of(-1).rank()).isEqualTo(1);
    }

    @Test
    void ofRequiresPositiveSampleDimensions() {
        assertThrows(IllegalArgumentException.class, () -> TensorShape.of(-1, 0, 24));
        assertThrows(IllegalArgumentException.class, () -> TensorShape.of(-1, 10, -1));
        assertThrows(IllegalArgumentException.class, () -> TensorShape.of(-1, -1));
    }

    @Test
    void batchOfPrependsTheBatch() {
        TensorShape shape = TensorShape.batchOf(1, 28, 28);
        assertThat(shape).isEqualTo(TensorShape.of(-1, 1, 28, 28));
        assertThat(shape.rank()).isEqualTo(4);
        assertThat(shape.dim(0)).isEqualTo(TensorShape.BATCH);
        assertThat(TensorShape.batchOf()).isEqualTo(TensorShape.of(-1));
        assertThrows(IllegalArgumentException.class, () -> TensorShape.batchOf(1, 0, 28));
        assertThrows(IllegalArgumentException.class, () -> TensorShape.batchOf(-1, 28));
    }

    @Test
    void ofCopiesItsArgument() {
        int[] dims = {-1, 10, 24, 24};
        TensorShape shape = TensorShape.of(dims);
        dims[1] = 99;
        assertThat(shape.dim(1)).isEqualTo(10);
        shape.dims()[1] = 99;
        shape.sampleDims()[0] = 99;
        assertThat(shape.dim(1)).isEqualTo(10);
    }

    @Test
    void negativeAxesCountFromTheEnd() {
        TensorShape shape = TensorShape.of(-1, 10, 24, 28);
        assertThat(shape.dim(-1)).isEqualTo(28);
        assertThat(shape.dim(-2)).isEqualTo(24);
        assertThat(shape.dim(-3)).isEqualTo(10);
        assertThat(shape.dim(-4)).isEqualTo(-1);
        assertThat(shape.normalizeAxis(-1)).isEqualTo(3);
        assertThat(shape.normalizeAxis(-4)).isEqualTo(0);
        assertThat(shape.normalizeAxis(2)).isEqualTo(2);
    }

    @Test
    void axesOutOfRangeAreRejected() {
        TensorShape shape = TensorShape.of(-1, 10, 24, 24);
        assertThat(shape.hasAxis(3)).isTrue();
        assertThat(shape.hasAxis(-4)).isTrue();
        assertThat(shape.hasAxis(4)).isFalse();
        assertThat(shape.hasAxis(-5)).isFalse();
        IndexOutOfBoundsException error =
                assertThrows(IndexOutOfBoundsException.class, () -> shape.normalizeAxis(4));
        assertThat(error).hasMessageThat().contains("-4..3");
        assertThrows(IndexOutOfBoundsException.class, () -> shape.dim(-5));
    }

    @Test
    void sampleSizeIsTheProductWithoutTheBatch() {
        assertThat(TensorShape.of(-1, 20, 4, 4).sampleSize()).isEqualTo(320);
        assertThat(TensorShape.of(-1, 10, 24, 24).sampleSize()).isEqualTo(5760);
        assertThat(TensorShape.of(-1).sampleSize()).isEqualTo(1);
        assertThat(TensorShape.of(-1, 50000, 50000).sampleSize()).isEqualTo(2_500_000_000L);
    }

    @Test
    void productOfARange() {
        TensorShape shape = TensorShape.of(-1, 2, 3, 4);
        assertThat(shape.product(1, 3)).isEqualTo(6);
        assertThat(shape.product(2, 4)).isEqualTo(12);
        assertThat(shape.product(2, 2)).isEqualTo(1);
    }

    @Test
    void sampleDims() {
        assertThat(TensorShape.of(-1, 20, 4, 4).sampleDims()).asList().containsExactly(20, 4, 4).inOrder();
        assertThat(TensorShape.of(-1, 20, 4, 4).dims()).asList().containsExactly(-1, 20, 4, 4).inOrder();
    }

    @Test
    void withDimReplacesOneDimension() {
        TensorShape shape = TensorShape.of(-1, 10, 24, 24);
        assertThat(shape.withDim(-1, 12)).isEqualTo(TensorShape.of(-1, 10, 24, 12));
        assertThat(shape.withDim(1, 20)).isEqualTo(TensorShape.of(-1, 20, 24, 24));
        assertThat(shape).isEqualTo(TensorShape.of(-1, 10, 24, 24));
        assertThrows(IllegalArgumentException.class, () -> shape.withDim(0, 4));
        assertThrows(IllegalArgumentException.class, () -> shape.withDim(2, 0));
    }

    @Test
    void toStringIsTorchsummarysSpelling() {
        assertThat(TensorShape.of(-1, 10, 24, 24).toString()).isEqualTo("[-1, 10, 24, 24]");
        assertThat(TensorShape.of(-1, 50).toString()).isEqualTo("[-1, 50]");
    }

    @Test
    void sampleToStringJoinsWithTimes() {
        assertThat(TensorShape.of(-1, 20, 4, 4).sampleToString()).isEqualTo("20×4×4");
        assertThat(TensorShape.of(-1, 320).sampleToString()).isEqualTo("320");
        assertThat(TensorShape.of(-1).sampleToString()).isEmpty();
    }

    @Test
    void equalsAndHashCode() {
        TensorShape a = TensorShape.of(-1, 10, 24, 24);
        TensorShape b = TensorShape.batchOf(10, 24, 24);
        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(a).isNotEqualTo(TensorShape.of(-1, 10, 24, 12));
        assertThat(a).isNotEqualTo(TensorShape.of(-1, 10, 24));
        assertThat(a).isNotEqualTo("[-1, 10, 24, 24]");
        assertThat(a.equals(null)).isFalse();
    }
}
