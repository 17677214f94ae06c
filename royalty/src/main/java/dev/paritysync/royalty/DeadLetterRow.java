package dev.paritysync.royalty;

/**
 * A report line that failed validation, with the evidence a person needs to fix it. Immutable.
 *
 * @param source the configured source name
 * @param report the report identifier (usually the file name)
 * @param rowNumber the 1-based physical line in the report where the row starts
 * @param field the {@link Field#key()} of the first field that failed
 * @param reason why, naming the offending value
 * @param excerpt the start of the raw line (at most 200 characters)
 */
public record DeadLetterRow(
    String source, String report, long rowNumber, String field, String reason, String excerpt) {}
