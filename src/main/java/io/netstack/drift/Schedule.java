package io.netstack.drift;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the next run is due: every fixed interval ({@code --every 15m}) or by cron ({@code --cron}).
 * {@code description} is how the log names it ("every 15m").
 */
public record Schedule(String description, UnaryOperator<ZonedDateTime> rule) {
    public ZonedDateTime next(ZonedDateTime after) {
        return rule.apply(after);
    }

    public static Schedule every(Duration d) {
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException("--every must be positive");
        return new Schedule("every " + d.toString().substring(2).toLowerCase(), after -> after.plus(d));
    }

    public static Schedule cron(String expr) {
        Cron c = Cron.parse(expr);
        return new Schedule("cron \"" + expr + "\"", c::next);
    }

    /** "90s", "15m", "2h", "1h30m", "500ms". */
    public static Duration parseDuration(String s) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(s.trim());
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) break;
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (end != s.trim().length() || end == 0) throw new IllegalArgumentException("\"" + s + "\" is not a duration like 30s, 15m, 1h or 1h30m");
        return d;
    }
}
