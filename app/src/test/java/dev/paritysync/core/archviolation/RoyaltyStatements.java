package dev.paritysync.core.archviolation;

/** A core class whose name speaks of royalties: breaks "no core class names hotel or royalty". */
public final class RoyaltyStatements {
  private RoyaltyStatements() {}
}
