/**
 * The forward DSL: a small subset of PyTorch's {@code forward} syntax, written in {@code @Model(forward = """...""")}.
 * {@link dev.shapeproof.processor.dsl.Lexer} and {@link dev.shapeproof.processor.dsl.Parser} turn the text into a
 * syntax tree that keeps the line and column of every piece; {@link dev.shapeproof.processor.dsl.Lowering} resolves
 * names and lowers it to the same graph as sequential models. Errors quote the DSL line with a caret.
 */
package dev.shapeproof.processor.dsl;
