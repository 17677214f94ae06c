/**
 * Test fixtures that break the architecture rules on purpose, so that {@code
 * dev.paritysync.app.ArchitectureTest} can show each rule fails: they sit in a {@code core} package
 * (in {@code app}'s test code, which sees every module) and are never part of the build's main
 * classes.
 */
package dev.paritysync.core.archviolation;
