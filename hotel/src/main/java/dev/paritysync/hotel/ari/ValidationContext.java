package dev.paritysync.hotel.ari;

import dev.paritysync.core.time.Clock;

/** What the class-level rules need beyond the change itself; passed as the validator payload. */
record ValidationContext(Portfolio portfolio, Clock clock, int horizonDays) {}
