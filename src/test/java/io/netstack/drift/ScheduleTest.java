package io.netstack.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The scheduled checker's two rules: when each next run is due, and how the log names them. */
class ScheduleTest {
    private static final ZonedDateTime T = ZonedDateTime.parse("2026-03-01T12:07:30Z");

    @Test
    void everyAddsItsInterval() {
        Schedule s = Schedule.every(Schedule.parseDuration("1h30m"));
        assertEquals(T.plusMinutes(90), s.next(T));
        assertEquals("every 1h30m", s.description());
        assertThrows(IllegalArgumentException.class, () -> Schedule.every(Duration.ZERO));
    }

    @Test
    void cronGoesToTheNextMatchingMinute() {
        Schedule s = Schedule.cron("*/15 * * * *");
        assertEquals(ZonedDateTime.parse("2026-03-01T12:15:00Z"), s.next(T));
        assertEquals("cron \"*/15 * * * *\"", s.description());
    }
}
