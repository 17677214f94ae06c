package dev.paritysync.core.archviolation;

/**
 * A core type whose public API speaks of hotel things (as core's quota key, call context and
 * backoff once did): breaks "core's public names speak of scopes". Its private field and
 * package-private method are internals the rule leaves alone.
 *
 * @param property a hotel's property, as a public accessor
 */
public record SpeaksOfProperties(String property) {
  /** A public constant named after a hotel thing. */
  public static final String PROPERTY_KEY = "property";

  private static final String INTERNAL_PROPERTY = "internal";

  /** A public factory named after the hotel. */
  public static SpeaksOfProperties hotelDefault() {
    return new SpeaksOfProperties(INTERNAL_PROPERTY);
  }

  /** A public method named after royalties. */
  public String royaltyLine() {
    return property;
  }

  static String propertyInternals() {
    return INTERNAL_PROPERTY;
  }
}
