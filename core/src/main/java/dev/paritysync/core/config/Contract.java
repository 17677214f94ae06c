package dev.paritysync.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A method's null contract in JetBrains' notation, such as {@code "_, !null -> !null"}: NullAway
 * reads any annotation named {@code Contract}, so a fallback that is not null gives a result that
 * is not null without a second method.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
@interface Contract {
  String value();
}
