package dev.paritysync.hotel.ari;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorFactory;
import java.lang.reflect.InvocationTargetException;

/**
 * Creates this package's constraint validators, which are package-private: Hibernate Validator's
 * default factory instantiates only public classes, and these are not API.
 */
enum PackageValidatorFactory implements ConstraintValidatorFactory {
  INSTANCE;

  @Override
  public <T extends ConstraintValidator<?, ?>> T getInstance(Class<T> key) {
    try {
      return key.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
      throw new IllegalStateException("cannot create constraint validator " + key.getName(), cause);
    }
  }

  @Override
  public void releaseInstance(ConstraintValidator<?, ?> instance) {}
}
