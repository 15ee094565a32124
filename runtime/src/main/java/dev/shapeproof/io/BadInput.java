package dev.shapeproof.io;

/**
 * What is wrong with some bytes, before the caller says where they are: the readers turn it into a
 * {@link WeightFileException} naming the file and the key. Carries no stack trace; it is a message, not a bug.
 */
final class BadInput extends Exception {
    private static final long serialVersionUID = 1L;

    BadInput(String problem) {
        super(problem, null, false, false);
    }
}
