/**
 * Model summaries: {@link dev.shapeproof.summary.ModelSummary}, one {@link dev.shapeproof.summary.SummaryRow} per
 * module call, and its formats — torchsummary 1.5.1's table byte for byte, a detailed terminal table (window
 * geometry, receptive field, MACs, buffers, two memory figures), Markdown, CSV, JSON and a Mermaid flowchart.
 *
 * <p>Pure Java on {@link dev.shapeproof.shape}: no ND4J and no {@code javax.lang.model}. The annotation processor
 * computes every figure at compile time and emits the summary as a constant built with
 * {@link dev.shapeproof.summary.ModelSummary#builder(String)}; nothing here runs a network. Numbers are spelled with
 * {@link java.util.Locale#ROOT} and sizes rounded as Python does, so every output is the same on every machine.
 */
package dev.shapeproof.summary;
