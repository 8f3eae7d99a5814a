package dev.gpush.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Durations written as IPython writes them (its _format_time, with Python's %.3g). */
class TimeFormatTest {

    @Test
    void unitsStepByThousandsAndKeepThreeSignificantDigits() {
        assertEquals("18 µs", TimeFormat.seconds(18e-6));
        assertEquals("2.73 µs", TimeFormat.seconds(2.73e-6));
        assertEquals("1.2 ms", TimeFormat.seconds(1.2e-3));
        assertEquals("1.5 ms", TimeFormat.seconds(0.0015));
        assertEquals("153 ns", TimeFormat.seconds(153.4e-9));
        assertEquals("500 ms", TimeFormat.seconds(0.5));
        assertEquals("3.14 s", TimeFormat.seconds(3.14159));
        assertEquals("0 ns", TimeFormat.seconds(0));
    }

    @Test
    void aMinuteOrMoreIsWrittenInWholeUnits() {
        assertEquals("1min 5s", TimeFormat.seconds(65.3));
        assertEquals("1h 1s", TimeFormat.seconds(3601.5));
    }

    @Test
    void percentGDropsTrailingZerosAndSwitchesToAnExponentAsPythonDoes() {
        assertEquals("100", TimeFormat.g(100.0, 3));
        assertEquals("1.5", TimeFormat.g(1.50, 3));
        assertEquals("1e+03", TimeFormat.g(999.7, 3)); // Python: '%.3g' % 999.7 == '1e+03'
        assertEquals("0.000123", TimeFormat.g(0.000123, 3));
        assertEquals("1.23e-05", TimeFormat.g(0.0000123, 3));
        assertEquals("2.5", TimeFormat.g(2.5, 3)); // half-even on the exact binary value, like Python
    }
}
