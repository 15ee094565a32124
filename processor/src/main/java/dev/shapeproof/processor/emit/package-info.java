/**
 * JavaPoet writers for the generated model class. Output is deterministic (no timestamps, no hash-ordered
 * iteration) and split into helper methods so no method approaches javac's 64 KB limit.
 */
package dev.shapeproof.processor.emit;
