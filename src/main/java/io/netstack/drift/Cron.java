package io.netstack.drift;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) with {@code *},
 * {@code a-b}, {@code a,b}, {@code * /n} and {@code a-b/n}. As in Vixie cron, when both day
 * fields are restricted a day matches if either does.
 */
public final class Cron {
    /** Five years of minutes: an expression that never fires (Feb 31) is caught, not looped on. */
    private static final long MAX_MINUTES_AHEAD = 5L * 366 * 24 * 60;

    private final BitSet minutes, hours, days, months, weekdays;
    private final boolean daysRestricted, weekdaysRestricted;
    private final String text;

    private Cron(String text, BitSet minutes, BitSet hours, BitSet days, BitSet months, BitSet weekdays, boolean dr, boolean wr) {
        this.text = text;
        this.minutes = minutes;
        this.hours = hours;
        this.days = days;
        this.months = months;
        this.weekdays = weekdays;
        this.daysRestricted = dr;
        this.weekdaysRestricted = wr;
    }

    public static Cron parse(String text) {
        String[] f = text.trim().split("\\s+");
        if (f.length != 5) throw new IllegalArgumentException("cron expression \"" + text + "\" must have 5 fields: minute hour day-of-month month day-of-week");
        BitSet wd = field(f[4], 0, 7, "day-of-week");
        if (wd.get(7)) wd.set(0);
        return new Cron(text, field(f[0], 0, 59, "minute"), field(f[1], 0, 23, "hour"), field(f[2], 1, 31, "day-of-month"),
                field(f[3], 1, 12, "month"), wd, !f[2].equals("*"), !f[4].equals("*"));
    }

    private static BitSet field(String s, int lo, int hi, String name) {
        BitSet b = new BitSet();
        for (String part : s.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = parseInt(part.substring(slash + 1), name);
                range = part.substring(0, slash);
                if (step < 1) throw new IllegalArgumentException(name + ": step must be at least 1 in \"" + part + "\"");
            }
            int a, z;
            if (range.equals("*")) {
                a = lo;
                z = hi;
            } else if (range.contains("-")) {
                String[] r = range.split("-");
                a = parseInt(r[0], name);
                z = parseInt(r[1], name);
            } else {
                a = parseInt(range, name);
                z = slash >= 0 ? hi : a;
            }
            if (a < lo || z > hi || a > z) throw new IllegalArgumentException(name + " \"" + part + "\" is outside " + lo + "-" + hi);
            for (int i = a; i <= z; i += step) b.set(i);
        }
        return b;
    }

    private static int parseInt(String s, String name) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": \"" + s + "\" is not a number");
        }
    }

    /** The first matching minute strictly after {@code t}. */
    public ZonedDateTime next(ZonedDateTime t) {
        ZonedDateTime c = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        for (long i = 0; i < MAX_MINUTES_AHEAD; i++, c = c.plusMinutes(1)) {
            if (!months.get(c.getMonthValue())) {
                c = c.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1).minusMinutes(1);
                continue;
            }
            boolean dom = days.get(c.getDayOfMonth()), dow = weekdays.get(c.getDayOfWeek().getValue() % 7);
            boolean dayOk = daysRestricted && weekdaysRestricted ? dom || dow : dom && dow;
            if (!dayOk) {
                c = c.withHour(23).withMinute(59);
                continue;
            }
            if (!hours.get(c.getHour())) {
                c = c.withMinute(59);
                continue;
            }
            if (minutes.get(c.getMinute())) return c;
        }
        throw new IllegalArgumentException("cron expression \"" + text + "\" never fires");
    }

    @Override
    public String toString() {
        return text;
    }
}
