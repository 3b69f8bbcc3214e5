package shop.bench;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BusyMachineTest {
    private static Results.Cold floor(double medianMs, double waitedMs) {
        return new Results.Cold(10, 0, medianMs, medianMs, null, null, 36.0, 1.0, waitedMs, "empty");
    }

    @Test
    void aFloorThatMostlyWaitedForACpuIsFlagged() {
        // The 2026-11-30 run: about 30 ms of work, the rest waiting behind other builds.
        String warning = Bench.busyMachine(floor(109, 75));
        assertNotNull(warning);
        assertTrue(warning.contains("waited 75 of its 109 ms"), warning);
    }

    @Test
    void aQuietFloorIsNot() {
        assertNull(Bench.busyMachine(floor(30, 3)));
        assertNull(Bench.busyMachine(floor(30, 7.5)));
    }
}
