/**
 * Shape inference and validation over the graph. Each node's attributes are checked against their rules, then its op
 * configures itself and infers its output from its input's shape. After the first error on a path, the shapes below
 * it are unknown and their checks are skipped, so one mistake yields one error.
 */
package dev.shapeproof.processor.check;
